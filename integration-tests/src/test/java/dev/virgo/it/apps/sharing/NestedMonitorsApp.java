package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;

/**
 * Transfers between accounts through {@code synchronized} methods that call others: re-entering the same account's
 * monitor, entering a second account's inside the first (always the lower id first, so no deadlock), and a ledger's
 * inside both. Four workers each move money between two neighbouring accounts, then wait for every transfer.
 */
public final class NestedMonitorsApp
{
    static final int ACCOUNTS = 4;
    static final int TRANSFERS = 200;
    static final long OPENING_BALANCE = 1_000;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Ledger
    {
        private int transfers;

        synchronized void count()
        {
            transfers++;
        }

        synchronized int transfers()
        {
            return transfers;
        }
    }

    static final class Account
    {
        final int id;
        private long balance = OPENING_BALANCE;

        Account(final int id)
        {
            this.id = id;
        }

        synchronized void deposit(final long amount)
        {
            balance += amount;
        }

        synchronized void withdraw(final long amount)
        {
            balance -= amount;
        }

        synchronized long balance()
        {
            return balance;
        }

        /** Holds this monitor, re-enters it to withdraw, enters {@code to}'s to deposit; callers keep ids ascending. */
        synchronized void payTo(final Account to, final long amount, final Ledger ledger)
        {
            withdraw(amount);
            to.deposit(amount);
            ledger.count();
        }

        /** The other direction, still holding the lower id's monitor (this one) first. */
        synchronized void collectFrom(final Account from, final long amount, final Ledger ledger)
        {
            from.withdraw(amount);
            deposit(amount);
            ledger.count();
        }
    }

    static final class Clerk implements Runnable
    {
        private final Account low;
        private final Account high;
        private final Ledger ledger;
        long ranIn;
        boolean sawAll;

        Clerk(final Account a, final Account b, final Ledger ledger)
        {
            this.low = a.id < b.id ? a : b;
            this.high = a.id < b.id ? b : a;
            this.ledger = ledger;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < TRANSFERS; i++)
            {
                final long amount = i % 7 + 1;
                if (i % 2 == 0)
                {
                    low.payTo(high, amount, ledger);
                }
                else
                {
                    low.collectFrom(high, amount, ledger);
                }
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                sawAll = ledger.transfers() == ACCOUNTS * TRANSFERS;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Ledger ledger = new Ledger();
        final Account[] accounts = new Account[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++)
        {
            accounts[i] = new Account(i);
        }
        final Clerk[] clerks = new Clerk[ACCOUNTS];
        final Thread[] threads = new Thread[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++)
        {
            clerks[i] = new Clerk(accounts[i], accounts[(i + 1) % ACCOUNTS], ledger);
            threads[i] = new Thread(clerks[i], "clerk-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean allSawAll = true;
        final long[] balances = new long[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++)
        {
            Report.ran(threads[i].getName(), clerks[i].ranIn);
            allSawAll &= clerks[i].sawAll;
            balances[i] = accounts[i].balance();
        }
        Report.result("balances=" + Arrays.toString(balances) + " transfers=" + ledger.transfers() +
            " allSawAll=" + allSawAll);
    }
}
