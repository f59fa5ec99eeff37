package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * One account object whose methods are {@code synchronized}: two workers deposit, two withdraw (retrying while the
 * balance is short, so they depend on the depositors), and each waits until the account has seen every operation.
 */
public final class SynchronizedMethodsApp
{
    static final int OPERATIONS = 200;
    static final long DEPOSIT = 5;
    static final long WITHDRAWAL = 3;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Account
    {
        private long balance;
        private int operations;

        synchronized void deposit(final long amount)
        {
            balance += amount;
            operations++;
        }

        synchronized boolean withdraw(final long amount)
        {
            if (balance < amount)
            {
                return false;
            }
            balance -= amount;
            operations++;
            return true;
        }

        synchronized long balance()
        {
            return balance;
        }

        synchronized int operations()
        {
            return operations;
        }
    }

    static final class Teller implements Runnable
    {
        private final Account account;
        private final boolean depositing;
        long ranIn;
        boolean sawAll;

        Teller(final Account account, final boolean depositing)
        {
            this.account = account;
            this.depositing = depositing;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            for (int i = 0; i < OPERATIONS; i++)
            {
                if (depositing)
                {
                    account.deposit(DEPOSIT);
                }
                else
                {
                    while (!account.withdraw(WITHDRAWAL))
                    {
                        if (System.nanoTime() - giveUpAt > 0)
                        {
                            return;
                        }
                        Thread.yield();
                    }
                }
            }
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                sawAll = account.operations() == 4 * OPERATIONS;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Account account = new Account();
        final Teller[] tellers =
            {new Teller(account, false), new Teller(account, true), new Teller(account, false), new Teller(account, true)};
        final Thread[] threads = new Thread[tellers.length];
        for (int i = 0; i < tellers.length; i++)
        {
            threads[i] = new Thread(tellers[i], "teller-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean allSawAll = true;
        for (int i = 0; i < tellers.length; i++)
        {
            Report.ran(threads[i].getName(), tellers[i].ranIn);
            allSawAll &= tellers[i].sawAll;
        }
        Report.result("balance=" + account.balance() + " operations=" + account.operations() +
            " allSawAll=" + allSawAll);
    }
}
