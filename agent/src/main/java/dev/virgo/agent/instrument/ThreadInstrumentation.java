package dev.virgo.agent.instrument;

import dev.virgo.agent.bootstrap.ThreadDispatcher;
import dev.virgo.runtime.classes.ApplicationClasses;
import dev.virgo.runtime.classes.SerializableLambdaRewriter;
import dev.virgo.runtime.log.VirgoLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * Installs Virgo's bytecode changes:
 * <ol>
 *   <li>advice in {@link Thread}'s {@code start}, {@code join}, {@code getState}, {@code interrupt},
 *   {@code isInterrupted} and (where it is not native) {@code isAlive}, by retransforming the loaded class;</li>
 *   <li>in application classes, calls to {@link Thread#isAlive()} replaced by
 *   {@link ThreadDispatcher#isAlive(Thread)}, because on JDK 17 {@code isAlive} is native and cannot take advice;</li>
 *   <li>with {@code reportPooledCpus=true}, in application classes, calls to {@link Runtime#availableProcessors()}
 *   (native) replaced by {@link ThreadDispatcher#availableProcessors(Runtime)}, which reports the pool's processors;
 *   the JDK's own callers (the common fork/join pool, say) keep seeing this JVM's;</li>
 *   <li>in classes chosen by {@code offload=}, {@code Runnable} lambdas made serializable so they can move.</li>
 * </ol>
 * Errors are reported once per class and the application keeps running.
 */
public final class ThreadInstrumentation
{
    private ThreadInstrumentation()
    {
    }

    public static void install(
        final Instrumentation instrumentation,
        final Predicate<String> offloadedClassName,
        final boolean reportPooledCpus)
        throws NoSuchMethodException
    {
        final AgentBuilder.Listener errorsOncePerClass = new ErrorsOncePerClass();

        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(errorsOncePerClass)
            .ignore(none())
            .type(is(Thread.class))
            .transform((builder, type, loader, module, domain) -> builder
                .visit(Advice.to(ThreadAdvice.Start.class).on(named("start").and(takesNoArguments())))
                .visit(Advice.to(ThreadAdvice.JoinMillis.class).on(named("join").and(takesArguments(long.class))))
                .visit(Advice.to(ThreadAdvice.JoinDuration.class)
                    .on(named("join").and(takesArguments(Duration.class))))
                .visit(Advice.to(ThreadAdvice.GetState.class).on(named("getState").and(takesNoArguments())))
                .visit(Advice.to(ThreadAdvice.IsAlive.class)
                    .on(named("isAlive").and(takesNoArguments()).and(not(isNative()))))
                .visit(Advice.to(ThreadAdvice.Interrupt.class).on(named("interrupt").and(takesNoArguments())))
                .visit(Advice.to(ThreadAdvice.IsInterrupted.class)
                    .on(named("isInterrupted").and(takesNoArguments()))))
            .installOn(instrumentation);

        MemberSubstitution callSites = MemberSubstitution.relaxed()
            .method(named("isAlive").and(takesNoArguments()).and(isDeclaredBy(Thread.class)))
            .replaceWith(ThreadDispatcher.class.getMethod("isAlive", Thread.class));
        if (reportPooledCpus)
        {
            callSites = callSites
                .method(named("availableProcessors").and(takesNoArguments()).and(isDeclaredBy(Runtime.class)))
                .replaceWith(ThreadDispatcher.class.getMethod("availableProcessors", Runtime.class));
        }
        final AsmVisitorWrapper substitutedCallSites = callSites.on(not(isNative()));

        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(errorsOncePerClass)
            .ignore((type, loader, module, clazz, domain) -> !ApplicationClasses.isApplicationLoader(loader) ||
                ApplicationClasses.isVirgoOrJdkClassName(type.getName()))
            .type((type, loader, module, clazz, domain) -> true)
            .transform((builder, type, loader, module, domain) -> builder.visit(substitutedCallSites))
            .installOn(instrumentation);

        instrumentation.addTransformer(new LambdaTransformer(offloadedClassName), false);
    }

    /** Makes the Runnable lambdas of chosen classes serializable; see {@link SerializableLambdaRewriter}. */
    private static final class LambdaTransformer implements ClassFileTransformer
    {
        private final Predicate<String> offloadedClassName;

        LambdaTransformer(final Predicate<String> offloadedClassName)
        {
            this.offloadedClassName = offloadedClassName;
        }

        @Override
        public byte[] transform(
            final ClassLoader loader,
            final String internalName,
            final Class<?> classBeingRedefined,
            final ProtectionDomain protectionDomain,
            final byte[] classfileBuffer)
        {
            if (null == internalName || null != classBeingRedefined ||
                !ApplicationClasses.isApplicationLoader(loader))
            {
                return null;
            }
            final String className = internalName.replace('/', '.');
            if (ApplicationClasses.isVirgoOrJdkClassName(className) || !offloadedClassName.test(className))
            {
                return null;
            }
            try
            {
                return SerializableLambdaRewriter.rewrite(classfileBuffer);
            }
            catch (final RuntimeException ex)
            {
                VirgoLog.warn("could not prepare lambdas of " + className + " for moving; they will run locally: " +
                    ex);
                return null;
            }
        }
    }

    private static final class ErrorsOncePerClass extends AgentBuilder.Listener.Adapter
    {
        private final Set<String> reported = ConcurrentHashMap.newKeySet();

        @Override
        public void onError(
            final String typeName,
            final ClassLoader classLoader,
            final JavaModule module,
            final boolean loaded,
            final Throwable throwable)
        {
            if (reported.add(typeName))
            {
                VirgoLog.warn("could not instrument " + typeName + ": " + throwable);
            }
        }

        @Override
        public void onTransformation(
            final TypeDescription typeDescription,
            final ClassLoader classLoader,
            final JavaModule module,
            final boolean loaded,
            final net.bytebuddy.dynamic.DynamicType dynamicType)
        {
            if (loaded)
            {
                VirgoLog.debug("instrumented " + typeDescription.getName());
            }
        }
    }
}
