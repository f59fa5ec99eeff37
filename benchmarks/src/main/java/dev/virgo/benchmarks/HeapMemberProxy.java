package dev.virgo.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's end of one {@link HeapMemberProcess}: starts its JVM, sends it commands and waits, bounded, for
 * the replies. Lines the member prints that are not replies (a JVM or Aeron warning) are passed on to this JVM's
 * standard error, so they reach the run's log.
 */
final class HeapMemberProxy implements AutoCloseable
{
    private static final String END_OF_OUTPUT = "@eof";

    final int memberId;
    private final Process process;
    private final Writer commands;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final long replyTimeoutNs;
    private String sent;

    private HeapMemberProxy(final int memberId, final Process process, final long replyTimeoutNs)
    {
        this.memberId = memberId;
        this.process = process;
        this.replyTimeoutNs = replyTimeoutNs;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        final Thread reader = new Thread(this::readOutput, "heap-member-" + memberId + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the member's JVM and waits until it has built its member and says so.
     *
     * @param command the whole command line.
     * @param environment added to the JVM's environment (the heap's link keys: not on the command line).
     * @param startTimeoutNs how long a JVM may take to start and open its links.
     */
    static HeapMemberProxy start(
        final int memberId, final List<String> command, final Map<String, String> environment,
        final long startTimeoutNs, final long replyTimeoutNs)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        final HeapMemberProxy proxy = new HeapMemberProxy(memberId, process, replyTimeoutNs);
        try
        {
            proxy.sent = "(start)";
            proxy.await(startTimeoutNs);
        }
        catch (final RuntimeException ex)
        {
            proxy.kill();
            throw ex;
        }
        return proxy;
    }

    /** Sends a command without waiting for its reply: {@link #await()} it, so several members work at once. */
    void send(final String command)
    {
        try
        {
            commands.write(command);
            commands.write('\n');
            commands.flush();
            sent = command;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("member " + memberId + ": cannot send '" + command + "': " + ex, ex);
        }
    }

    /** @return the reply to the last command sent, without its {@code @ok}. */
    String call(final String command)
    {
        send(command);
        return await();
    }

    String await()
    {
        return await(replyTimeoutNs);
    }

    private String await(final long timeoutNs)
    {
        final String reply;
        try
        {
            reply = replies.poll(timeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for member " + memberId, ex);
        }
        if (null == reply)
        {
            throw new IllegalStateException("member " + memberId + ": no reply to '" + sent + "' within " +
                TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s");
        }
        if (END_OF_OUTPUT.equals(reply))
        {
            throw new IllegalStateException("member " + memberId + " (pid " + process.pid() + ") ended while " +
                "answering '" + sent + "'" + exitCode());
        }
        if (reply.startsWith("@error"))
        {
            throw new IllegalStateException(reply.substring(1));
        }
        final int space = reply.indexOf(' ');
        return space < 0 ? "" : reply.substring(space + 1);
    }

    /** Asks the member to close and leave; kills it if it has not within 10 s. */
    @Override
    public void close()
    {
        try
        {
            send("quit");
        }
        catch (final RuntimeException ex)
        {
            // Gone already: kill() below makes sure.
        }
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                System.err.println("member " + memberId + " did not leave within 10 s of quit: killed");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** Ends the member's JVM at once (and any process it started). */
    void kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    long pid()
    {
        return process.pid();
    }

    private String exitCode()
    {
        try
        {
            return process.waitFor(2, TimeUnit.SECONDS) ? ", exit code " + process.exitValue() : "";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void readOutput()
    {
        try (BufferedReader output = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while (null != (line = output.readLine()))
            {
                if (line.startsWith(HeapMemberProcess.REPLY_PREFIX))
                {
                    replies.add(line);
                }
                else
                {
                    System.err.println("[member " + memberId + "] " + line);
                }
            }
        }
        catch (final IOException ex)
        {
            // The stream closed under us: the member is gone, said below.
        }
        replies.add(END_OF_OUTPUT);
    }
}
