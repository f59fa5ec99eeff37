package dev.virgo.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link Runnable} class or a {@link Thread} subclass whose threads Virgo moves to another JVM
 * when they are started.
 *
 * <p>Threads started with an instance of the annotated class (as the {@code Thread} itself, or as the
 * {@code Runnable} handed to a {@code Thread} constructor) run on a node picked by the placement policy.
 * {@code start()} and {@code join()} keep their meaning: the thread sees what was written before
 * {@code start()}, and the starter sees what the thread wrote once {@code join()} returns. See the
 * project README for the full contract and for what a moved thread cannot yet do.
 *
 * <p>The annotation is inherited by subclasses. Programs that cannot be changed name classes in the
 * agent's {@code offload=} option instead.
 */
@Documented
@java.lang.annotation.Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Offload
{
}
