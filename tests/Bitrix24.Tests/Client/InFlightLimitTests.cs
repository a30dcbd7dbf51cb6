using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Connections;
using Bitrix24.Rest.Pacing;
using Bitrix24.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>
    /// How many batch calls a bulk run keeps in flight: enough that the portal always has the next call
    /// waiting (a portal that serves one call at a time must not sit idle while the client turns an answer
    /// around), no more than that when answers slow down (the extra calls would only queue there), all it
    /// may when the portal answers as fast with many calls as with one, and fewer while it fails.
    /// </summary>
    public class InFlightLimitTests
    {
        /// <summary>A portal over HTTP without sockets: it counts the calls it has at once.</summary>
        private sealed class Portal : HttpMessageHandler
        {
            private readonly SemaphoreSlim _oneAtATime;
            private readonly TimeSpan _serviceTime;
            private int _current;
            public readonly List<int> AtArrival = new List<int>();
            public int Max;
            public Func<int, bool> FailCall = _ => false;
            /// <summary>Calls that take this much longer (as a real portal's pause for its own housekeeping).</summary>
            public Func<int, TimeSpan> ExtraTime = _ => TimeSpan.Zero;
            private int _calls;

            public Portal(TimeSpan serviceTime, bool oneAtATime)
            {
                _serviceTime = serviceTime;
                _oneAtATime = oneAtATime ? new SemaphoreSlim(1, 1) : null;
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = JObject.Parse(await request.Content.ReadAsStringAsync());
                var now = Interlocked.Increment(ref _current);
                var call = Interlocked.Increment(ref _calls);
                lock (AtArrival) { AtArrival.Add(now); Max = Math.Max(Max, now); }
                try
                {
                    if (_oneAtATime != null) await _oneAtATime.WaitAsync(cancellationToken);
                    try { await Task.Delay(_serviceTime + ExtraTime(call), cancellationToken); }
                    finally { _oneAtATime?.Release(); }
                    if (FailCall(call))
                        return Answer(HttpStatusCode.InternalServerError, @"{""error"":""INTERNAL_SERVER_ERROR"",""error_description"":""Internal server error""}");
                    var results = new JObject();
                    foreach (var command in ((JObject)body["cmd"]).Properties()) results[command.Name] = true;
                    return Answer(HttpStatusCode.OK, new JObject { ["result"] = new JObject { ["result"] = results, ["result_error"] = new JArray() } }.ToString());
                }
                finally
                {
                    Interlocked.Decrement(ref _current);
                }
            }

            private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
                new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }

        private static BulkRunner Runner(Portal portal, out List<string> log)
        {
            // A portal of its own per test: the leaky bucket is shared per portal and credential.
            var connection = Bitrix24Connection.FromWebhook($"https://limit-{Guid.NewGuid():N}.bitrix24.invalid/rest/1/secret/", portal);
            connection.RateLimit = 100000;
            connection.Burst = 100000;
            var lines = log = new List<string>();
            return new BulkRunner(connection.Client, CancellationToken.None, line => { lock (lines) lines.Add(line); });
        }

        private static void RunAll(BulkRunner runner, int leads)
        {
            for (var id = 1; id <= leads; id++)
                runner.Add(new BulkCommand("crm.lead.update", new JObject { ["id"] = id, ["fields"] = new JObject { ["TITLE"] = "t" } }, id));
            runner.Flush();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (runner.Finished < runner.Added && DateTime.UtcNow < deadline) runner.WaitForActivity(TimeSpan.FromMilliseconds(100));
            Assert.Equal(runner.Added, runner.Finished);
            var failed = new List<BulkOutcome>();
            while (runner.TryTakeOutcome(out var outcome)) if (!outcome.Succeeded) failed.Add(outcome);
            Assert.Empty(failed);
        }

        [Fact]
        public void OverHttpTheRunnerNeverHasMoreThanItsMostInFlight()
        {
            var portal = new Portal(TimeSpan.FromMilliseconds(20), oneAtATime: false);
            using var runner = Runner(portal, out _);

            RunAll(runner, 60 * BulkRunner.ChunkSize);

            Assert.InRange(portal.Max, 1, BulkRunner.DefaultMaxInFlight);
            Assert.Equal(60, portal.AtArrival.Count);
        }

        // The limit itself, fed answer times as a portal would give them: no threads, no real time.

        /// <summary>Answers from a portal that serves <paramref name="atOnce"/> calls at a time, each in
        /// <paramref name="service"/>: with more in flight, the extra ones queue and come back later.</summary>
        private static TimeSpan AnswerTime(int inFlight, int atOnce, TimeSpan service) =>
            TimeSpan.FromTicks(service.Ticks * (long)Math.Ceiling(inFlight / (double)atOnce));

        [Fact]
        public void APortalThatKeepsUpGetsAllTheCallsTheRunnerMayHave()
        {
            var limit = new InFlightLimit(16, new VirtualClock());
            var seen = new List<int>();

            for (var answer = 0; answer < 100; answer++)
            {
                seen.Add(limit.Current);
                limit.Answered(TimeSpan.FromMilliseconds(300));   // as fast with many calls as with one
            }

            Assert.Equal(4, seen[0]);
            Assert.Equal(16, limit.Current);
            Assert.True(seen.Max() <= 16);
            Assert.True(seen.IndexOf(16) < 20, string.Join(",", seen));   // there within 20 answers
        }

        [Fact]
        public void APortalThatServesOneCallAtATimeAlwaysHasTheNextWaitingButNotAPile()
        {
            var limit = new InFlightLimit(16, new VirtualClock());
            var service = TimeSpan.FromMilliseconds(100);
            // Start as one that kept up: the fastest answer seen is the one call alone.
            limit.Answered(service);
            for (var answer = 0; answer < 200; answer++) limit.Answered(AnswerTime(limit.Current, 1, service));

            // Settled: the one call being served, a few waiting so the portal never waits for the client, and
            // far fewer than the 16 the runner may have.
            Assert.InRange(limit.Current, 4, 6);
        }

        [Fact]
        public void APortalThatServesFourAtATimeGetsThoseFourAndTheHeadroom()
        {
            var limit = new InFlightLimit(16, new VirtualClock());
            var service = TimeSpan.FromMilliseconds(100);
            limit.Answered(service);
            for (var answer = 0; answer < 200; answer++) limit.Answered(AnswerTime(limit.Current, 4, service));

            Assert.InRange(limit.Current, 8, 12);
        }

        [Fact]
        public void WhileThePortalFailsTheLimitHalvesOnceASecondAndAfterItRecoversGrowsBack()
        {
            var clock = new VirtualClock(TimeSpan.FromSeconds(10));
            var limit = new InFlightLimit(16, clock);
            for (var answer = 0; answer < 50; answer++) limit.Answered(TimeSpan.FromMilliseconds(50));
            Assert.Equal(16, limit.Current);

            // A burst of failures from one bad moment is one signal.
            Assert.Equal(8, limit.Failed());
            Assert.Null(limit.Failed());
            clock.Advance(TimeSpan.FromSeconds(0.9));
            Assert.Null(limit.Failed());
            Assert.Equal(8, limit.Current);
            clock.Advance(TimeSpan.FromSeconds(0.1));
            Assert.Equal(4, limit.Failed());

            for (var answer = 0; answer < 20; answer++) limit.Answered(TimeSpan.FromMilliseconds(50));
            Assert.Equal(16, limit.Current);
        }

        [Fact]
        public void AtOneCallTheLimitDoesNotHalveFurther()
        {
            var clock = new VirtualClock();
            var limit = new InFlightLimit(1, clock);
            Assert.Null(limit.Failed());
            Assert.Equal(1, limit.Current);
        }
    }
}
