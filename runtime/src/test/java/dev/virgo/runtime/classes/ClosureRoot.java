package dev.virgo.runtime.classes;

import java.util.List;

/** The root of {@link OfferedClosureTest}'s closure: names a part by code, a field type by generics, one by string. */
final class ClosureRoot implements Runnable
{
    List<ClosureElement> elements;

    @Override
    public void run()
    {
        new ClosurePart().toString();
        try
        {
            Class.forName("dev.virgo.runtime.classes.ClosureByName");
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}

/** Named by {@link ClosureRoot}'s code; names {@link ClosureDeep} in turn. */
final class ClosurePart
{
    ClosureDeep deep;
}

/** Reached through {@link ClosurePart}: the closure is transitive. */
final class ClosureDeep
{
}

/** Named only in a generic signature of {@link ClosureRoot}. */
final class ClosureElement
{
}

/** Named only by a string constant of {@link ClosureRoot}. */
final class ClosureByName
{
}

/** Named by no offered class. */
final class ClosureOutside
{
}
