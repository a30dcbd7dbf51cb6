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
    [Collection(Infrastructure.SerialCollection.Name)]   // times answers: the rest of the suite must not share the cores meanwhile
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
        public void APortalThatServesOneCallAtATimeAlwaysHasTheNextWaitingButNotAPile()
        {
            // 1 ms per call, one at a time, and every tenth call 20 ms more (a portal's own pauses).
            var portal = new Portal(TimeSpan.FromMilliseconds(1), oneAtATime: true) { ExtraTime = call => TimeSpan.FromMilliseconds(call % 10 == 0 ? 20 : 0) };
            using var runner = Runner(portal, out _);

            RunAll(runner, 200 * BulkRunner.ChunkSize);

            // Once settled (second half): several calls are waiting at the portal when one arrives, so it
            // never waits for the client (a slow answer must not leave it with one or two for long), yet
            // far fewer than the 16 the runner may have when the portal keeps up.
            var settled = portal.AtArrival.Skip(portal.AtArrival.Count / 2).ToList();
            Assert.InRange(settled.Average(), 3.5, 9);
            Assert.True(settled.Max() <= 12, $"up to {settled.Max()} calls at once at a portal that serves one at a time");
        }

        [Fact]
        public void APortalThatKeepsUpGetsAllTheCallsTheRunnerMayHave()
        {
            // 50 ms per call, whatever the number at once: the client's own work is small beside it.
            var portal = new Portal(TimeSpan.FromMilliseconds(50), oneAtATime: false);
            using var runner = Runner(portal, out _);

            RunAll(runner, 200 * BulkRunner.ChunkSize);

            Assert.Equal(16, portal.Max);   // all it may, never more
            Assert.True(portal.AtArrival.Skip(portal.AtArrival.Count / 2).Average() >= 12);
        }

        [Fact]
        public void WhileThePortalFailsFewerCallsGoAndAfterItRecoversMoreAgain()
        {
            var portal = new Portal(TimeSpan.FromMilliseconds(50), oneAtATime: false);
            // Calls 61 to 80 fail (after the runner has reached its full 16); each failed batch is retried.
            portal.FailCall = call => call > 60 && call <= 80;
            using var runner = Runner(portal, out var log);

            RunAll(runner, 300 * BulkRunner.ChunkSize);

            Assert.True(portal.AtArrival.Take(60).Max() == 16, "before: " + string.Join(",", portal.AtArrival.Take(60)));
            // Halved from the 16 it had (or from a little less, when one slow answer of a loaded machine had just
            // moved it down): the log says the new limit.
            var halvedTo = log.Select(line => System.Text.RegularExpressions.Regex.Match(line, @"now at most (\d+) request\(s\) in flight"))
                              .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.NotEmpty(halvedTo);
            Assert.InRange(halvedTo[0], 6, 8);
            var afterFailures = portal.AtArrival.Skip(80).ToList();
            // Halved: the next calls go at most 8 at a time (the failed batches wait for their retry).
            Assert.True(afterFailures.Take(10).Max() <= 8, "after: " + string.Join(",", afterFailures));
            // Answers come as fast as ever: the limit grows back towards the 16 the runner may have.
            var lastThird = afterFailures.Skip(afterFailures.Count * 2 / 3).ToList();
            Assert.True(lastThird.Max() >= 14, "after: " + string.Join(",", afterFailures));
        }
    }
}
