using System;
using System.Collections.Generic;
using System.Threading;
using Bitrix24.Rest.Pacing;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>The operating-time budget (limits.md: time.operating and operating_reset_at in every
    /// answer; OPERATION_TIME_LIMIT once a method's sum passes the limit) on virtual time.</summary>
    public sealed class OperatingBudgetTests
    {
        private static double UnixIn(VirtualClock clock, double seconds) => (clock.UtcNow.AddSeconds(seconds)).ToUnixTimeMilliseconds() / 1000.0;

        [Fact]
        public void AMethodUnderNinetyPercentGoesAtOnce()
        {
            var clock = new VirtualClock();
            var budget = new OperatingBudget(480, clock);
            budget.Observe("crm.lead.update", 430, UnixIn(clock, 30));

            Assert.Equal(TimeSpan.Zero, budget.DelayFor("crm.lead.update", out var reason));
            Assert.Null(reason);
        }

        [Fact]
        public void AMethodPastNinetyPercentWaitsUntilItsResetAndThenGoes()
        {
            var clock = new VirtualClock();
            var budget = new OperatingBudget(480, clock);
            budget.Observe("crm.lead.update", 440, UnixIn(clock, 30));
            var log = new List<string>();

            var delay = budget.DelayFor("crm.lead.update", out var reason);
            Assert.Equal(30.25, delay.TotalSeconds, 3);   // the reset, and a quarter second past it
            Assert.Contains("440 s of its 480 s", reason);
            Assert.Equal(TimeSpan.Zero, budget.DelayFor("crm.deal.update", out _));   // each method for itself

            var wait = budget.WaitAsync("crm.lead.update", CancellationToken.None, log.Add);
            clock.Advance(TimeSpan.FromSeconds(30));
            Assert.False(wait.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(0.25));
            Assert.True(wait.IsCompleted);
            Assert.Contains(log, l => l.StartsWith("Waiting 30.3 s"));
            Assert.Equal(TimeSpan.Zero, budget.DelayFor("crm.lead.update", out _));
        }

        [Fact]
        public void ABlockedMethodWaitsForTheLastResetItWasToldOrAMinute()
        {
            var clock = new VirtualClock();
            var budget = new OperatingBudget(480, clock);
            budget.Observe("crm.deal.list", 100, UnixIn(clock, 12));
            budget.Blocked("crm.deal.list");
            budget.Blocked("crm.deal.add");   // never told a reset

            Assert.Equal(12.25, budget.DelayFor("crm.deal.list", out var reason).TotalSeconds, 3);
            Assert.Contains("OPERATION_TIME_LIMIT", reason);
            Assert.Equal(60.25, budget.DelayFor("crm.deal.add", out _).TotalSeconds, 3);
        }
    }
}
