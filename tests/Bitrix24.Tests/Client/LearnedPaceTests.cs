using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Bitrix24.Emulator;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Pacing;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>The shared bucket learns a portal's real limits from its refusals (QUERY_LIMIT_EXCEEDED):
    /// untold, it finds them; told too high, it comes down to them; told right, it never moves.</summary>
    [Collection(Infrastructure.SerialCollection.Name)]
    public sealed class LearnedPaceTests
    {
        private static (EmulatedPortal Portal, Bitrix24Connection Connection, List<string> Log) Setup(double rate, int burst, int leads)
        {
            var portal = new EmulatedPortal("learn") { Limits = new PortalLimits { RequestsPerSecond = rate, Burst = burst } };
            portal.AddLeads(leads, i => new JObject { ["TITLE"] = "t" + i });
            portal.ClearLog();
            // The pace is measured over about a second: a collection of what earlier tests left must not fall inside it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            // A portal address of its own: the bucket is shared per portal and credential.
            var connection = Bitrix24Connection.FromWebhook($"https://learn-{Guid.NewGuid():N}.bitrix24.invalid/rest/1/learn/", portal.CreateHandler());
            return (portal, connection, new List<string>());
        }

        private static void Update(Bitrix24Connection connection, int leads, List<string> log)
        {
            using var runner = new BulkRunner(connection.Client, CancellationToken.None, line => { lock (log) log.Add(line); });
            for (var id = 1; id <= leads; id++)
                runner.Add(new BulkCommand("crm.lead.update", new JObject { ["id"] = id, ["fields"] = new JObject { ["TITLE"] = "learned " + id } }, id));
            runner.Flush();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (runner.Finished < runner.Added && DateTime.UtcNow < deadline) runner.WaitForActivity(TimeSpan.FromMilliseconds(100));
            Assert.Equal(runner.Added, runner.Finished);
            while (runner.TryTakeOutcome(out var outcome)) Assert.True(outcome.Succeeded, outcome.Error?.Message);
        }

        [Fact]
        public void UntoldItFindsTheBurstAndTheRateWithFewRefusals()
        {
            var (portal, connection, log) = Setup(rate: 10, burst: 5, leads: 80 * 50);

            Update(connection, 80 * 50, log);

            var bucket = LeakyBucket.For(connection.RateKey, connection.RateLimit, connection.Burst, connection.LimitsTold);
            var story = string.Join("\n", log.Where(l => l.StartsWith("Pace")));
            Assert.False(connection.LimitsTold);
            Assert.True(bucket.Burst >= 3 && bucket.Burst <= 5, $"burst {bucket.Burst}\n{story}");
            // Measured while its own pace was still growing through the real one, the rate can come out low
            // (the portal's bucket ran empty for part of the time); it is never above the real rate.
            // After five seconds without a refusal it probes upwards again, 5 % a second: a little past the real rate at most.
            Assert.True(bucket.RequestsPerSecond >= 5 && bucket.RequestsPerSecond <= 11, $"rate {bucket.RequestsPerSecond}\n{story}");
            Assert.True(portal.RateLimitedCount >= 1 && portal.RateLimitedCount <= 4, $"{portal.RateLimitedCount} refusals\n{story}");
            Assert.Contains(log, line => line.StartsWith("Pace now") && line.Contains("measured from the portal's refusals"));
            Assert.All(Enumerable.Range(1, 80 * 50), id => Assert.Equal("learned " + id, (string)portal.GetLead(id)["TITLE"]));
        }

        [Fact]
        public void ToldTooHighItComesDownToWhatThePortalTakes()
        {
            // A portal slower than the emulator can serve even on a loaded 2-core machine: its bucket, not
            // the time it takes to apply a batch of 50, is what the pace is measured against.
            var (portal, connection, log) = Setup(rate: 2, burst: 4, leads: 24 * 50);
            connection.RateLimit = 10;
            connection.Burst = 4;

            Update(connection, 24 * 50, log);

            var bucket = LeakyBucket.For(connection.RateKey, connection.RateLimit, connection.Burst, connection.LimitsTold);
            var story = string.Join("\n", log.Where(l => l.StartsWith("Pace")));
            // The first measurement, with the requests answered after the refusal that closed it.
            var measured = log.SkipWhile(l => !(l.StartsWith("Pace now") && l.Contains("measured from the portal's refusals")))
                              .TakeWhile((l, i) => i == 0 || l.Contains("answered after it"))
                              .Select(l => double.Parse(l.Substring("Pace now ".Length, l.IndexOf("/s", StringComparison.Ordinal) - "Pace now ".Length), System.Globalization.CultureInfo.InvariantCulture))
                              .LastOrDefault();
            Assert.True(measured >= 1.6 && measured <= 2, $"first measured pace {measured}\n{story}");
            Assert.True(bucket.RequestsPerSecond <= 2.2, $"rate {bucket.RequestsPerSecond}\n{story}");
            Assert.True(portal.RateLimitedCount >= 1 && portal.RateLimitedCount <= 5, $"{portal.RateLimitedCount} refusals\n{story}");
        }

        [Fact]
        public void TheWindowRunsFromRefusalToRefusalAsAnsweredAndCountsLateAnswers()
        {
            // The first refused request waited 0.6 s behind others before it reached the portal; the second did not.
            var bucket = LeakyBucket.For("window-" + Guid.NewGuid().ToString("N"), 10, 4);
            var log = new List<string>();
            Thread.Sleep(700);   // the bucket's clock starts with it: a send time 0.6 s back must be past its start
            var start = bucket.AcquireAsync(CancellationToken.None).GetAwaiter().GetResult().SentAt;
            bucket.Completed(new LeakyBucket.Ticket(start - 0.6, TimeSpan.Zero), RequestOutcome.Refused, TimeSpan.FromSeconds(0.6), log.Add);
            Thread.Sleep(1000);
            foreach (var sent in new[] { 0.1, 0.2, 0.3 })
                bucket.Completed(new LeakyBucket.Ticket(start + sent, TimeSpan.Zero), RequestOutcome.Accepted, TimeSpan.FromSeconds(0.05), log.Add);

            bucket.Completed(new LeakyBucket.Ticket(start + 0.9, TimeSpan.Zero), RequestOutcome.Refused, TimeSpan.FromSeconds(0.05), log.Add);
            var measured = bucket.RequestsPerSecond;
            // Accepted, but answered after the refusal: a batch that did work comes back later than a refusal.
            bucket.Completed(new LeakyBucket.Ticket(start + 0.5, TimeSpan.Zero), RequestOutcome.Accepted, TimeSpan.FromSeconds(0.4), log.Add);

            var story = string.Join("\n", log);
            // 3 taken over the 1 s between the refusals' answers: (3 - 0.5) × 0.95 = 2.4/s (timed by sending, 1.5 s: 1.6/s).
            Assert.True(measured > 2.1 && measured <= 2.4, $"measured {measured}\n{story}");
            // With the late answer 4 were taken: (4 - 0.5) × 0.95 = 3.3/s.
            Assert.True(bucket.RequestsPerSecond > 3.0 && bucket.RequestsPerSecond <= 3.33, $"corrected {bucket.RequestsPerSecond}\n{story}");
            Assert.Contains(log, l => l.Contains("answered after it"));
        }

        [Fact]
        public void ToldRightItNeverMovesAndNeverIsRefused()
        {
            var (portal, connection, log) = Setup(rate: 10, burst: 5, leads: 20 * 50);
            connection.RateLimit = 10;
            connection.Burst = 5;

            Update(connection, 20 * 50, log);

            var bucket = LeakyBucket.For(connection.RateKey, connection.RateLimit, connection.Burst, connection.LimitsTold);
            Assert.Equal(0, portal.RateLimitedCount);
            Assert.Equal(10, bucket.RequestsPerSecond);
            Assert.Equal(5, bucket.Burst);
            Assert.DoesNotContain(log, line => line.StartsWith("Pace"));
        }
    }
}
