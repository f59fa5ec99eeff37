package dev.virgo.it.apps.node;

import dev.virgo.it.apps.Check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Workers that sum squares of their slice of a range and record the pid they ran in; run with
 * {@code nodes=127.0.0.1:PORT,offload=dev.virgo.it.apps.node.ParallelSumApp*}.
 *
 * <p>Arguments: {@code label [rendezvousDir peerLabel]}. With a rendezvous, every worker creates
 * {@code rendezvousDir/label-i} once it has computed, then waits (at most {@link #RENDEZVOUS_TIMEOUT_S} s) until a
 * file of {@code peerLabel} exists: when two origins each do that and both see the other, their threads were running
 * at the same time. Workers run on the node, which shares this machine's file system.
 *
 * <p>Prints {@code CHECK}/{@code FAIL} lines and {@code RAN-IN label pid} per worker for the test to compare.
 */
public final class ParallelSumApp
{
    public static final int WORKERS = 3;
    static final long RENDEZVOUS_TIMEOUT_S = 30;

    static final class Worker implements Runnable
    {
        final long from;
        final long to;
        final String marker;
        final String rendezvousDir;
        final String peerLabel;
        long sum;
        long ranIn;
        String rendezvous = "none";

        Worker(final long from, final long to, final String marker, final String rendezvousDir, final String peerLabel)
        {
            this.from = from;
            this.to = to;
            this.marker = marker;
            this.rendezvousDir = rendezvousDir;
            this.peerLabel = peerLabel;
        }

        @Override
        public void run()
        {
            ranIn = ProcessHandle.current().pid();
            long total = 0;
            for (long i = from; i < to; i++)
            {
                total += i * i % 1_000_003;
            }
            sum = total;
            if (null != rendezvousDir)
            {
                rendezvous = meetPeer();
            }
        }

        private String meetPeer()
        {
            final Path dir = Paths.get(rendezvousDir);
            try
            {
                Files.createFile(dir.resolve(marker));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RENDEZVOUS_TIMEOUT_S);
                while (System.nanoTime() < deadline)
                {
                    try (var files = Files.list(dir))
                    {
                        if (files.anyMatch(f -> f.getFileName().toString().startsWith(peerLabel + "-")))
                        {
                            return "met";
                        }
                    }
                    Thread.sleep(10);
                }
                return "peer " + peerLabel + " not seen within " + RENDEZVOUS_TIMEOUT_S + " s";
            }
            catch (final IOException | InterruptedException ex)
            {
                return ex.toString();
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final String label = args[0];
        final String rendezvousDir = args.length > 1 ? args[1] : null;
        final String peerLabel = args.length > 2 ? args[2] : null;
        final long origin = Check.pid();
        final long n = 3_000_000;
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(n * i / WORKERS, n * (i + 1) / WORKERS, label + "-" + i, rendezvousDir, peerLabel);
            threads[i] = new Thread(workers[i], label + "-worker-" + i);
            threads[i].start();
        }
        long expected = 0;
        for (long i = 0; i < n; i++)
        {
            expected += i * i % 1_000_003;
        }
        long total = 0;
        for (int i = 0; i < WORKERS; i++)
        {
            threads[i].join(TimeUnit.SECONDS.toMillis(RENDEZVOUS_TIMEOUT_S + 30));
            Check.that(label + "-worker-" + i + "-ended", !threads[i].isAlive(), "still alive");
            total += workers[i].sum;
            Check.that(label + "-worker-" + i + "-moved", workers[i].ranIn != 0 && workers[i].ranIn != origin,
                "ran in " + workers[i].ranIn + ", origin is " + origin);
            if (null != rendezvousDir)
            {
                Check.that(label + "-worker-" + i + "-met-peer", "met".equals(workers[i].rendezvous),
                    workers[i].rendezvous);
            }
            System.out.println("RAN-IN " + label + " " + workers[i].ranIn);
        }
        Check.that(label + "-sum", total == expected, total + " != " + expected);
        System.out.println("DONE " + label);
    }
}
