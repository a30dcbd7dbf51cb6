using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Pacing;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Client
{
    /// <summary>
    /// The shared bucket against a portal's leaky bucket (limits.md: each request adds one, the bucket
    /// drains the plan's rate, a request over the burst is refused with QUERY_LIMIT_EXCEEDED), on virtual
    /// time: told right, it never moves and is never refused; untold, it finds the limits; told too high,
    /// it comes down; beside another client, it takes what is left. Each run is the same every time.
    /// </summary>
    public sealed class LearnedPaceTests
    {
        /// <summary>The portal's bucket. <see cref="OtherClient"/> requests a second are another client's.</summary>
        private sealed class PortalBucket
        {
            private readonly double _rate;
            private readonly int _burst;
            private double _level;
            private TimeSpan _last;
            public double OtherClient;
            /// <summary>The other client sends a refused request again until it is taken (as any client does): what it
            /// is owed goes in first whenever the portal has room.</summary>
            public bool OtherClientRetries;
            private double _otherOwed;
            private bool _started;
            public int Accepted, Refused;

            public PortalBucket(double rate, int burst) { _rate = rate; _burst = burst; }

            /// <summary>limits.md to the letter: the counter decreases by the rate once a second, at whole seconds
            /// (shifted by this much); null: it drains continuously.</summary>
            public double? DrainsOnceASecondAt;

            public bool TryEnter(TimeSpan now)
            {
                var seconds = DrainsOnceASecondAt is double phase
                    ? Math.Floor(now.TotalSeconds - phase) - Math.Floor(_last.TotalSeconds - phase)
                    : (now - _last).TotalSeconds;
                if (!_started) { seconds = 0; _started = true; }   // both clients start with the run, the portal empty
                _last = now;
                // The other client's requests fill it as ours do, until it is full (then they are refused, and lost
                // or owed).
                _level = Math.Max(0, _level - seconds * _rate);
                _otherOwed += seconds * OtherClient;
                var taken = Math.Min(_otherOwed, _burst - _level);
                _level += taken;
                _otherOwed = OtherClientRetries ? _otherOwed - taken : 0;
                if (_level + 1 > _burst + 1e-9) { Refused++; return false; }
                _level += 1;
                Accepted++;
                return true;
            }
        }

        private sealed class Run
        {
            public TimeSpan Took;
            public readonly List<string> Log = new List<string>();
            public readonly List<string> Story = new List<string>();   // the log with the seconds since the run began
            public LeakyBucket Bucket;
        }

        /// <summary>
        /// <paramref name="requests"/> requests from <paramref name="inFlight"/> callers at once (as a bulk
        /// run's batches), each taking <paramref name="roundTrip"/>, half of it on the way to the portal.
        /// A refused request goes again, as PacedCaller sends it.
        /// </summary>
        private static Run Simulate(PortalBucket portal, int requests, double rate, int burst, bool told,
                                    int inFlight = 8, double roundTrip = 0.2, double idleBefore = 0)
        {
            var clock = new VirtualClock(TimeSpan.FromSeconds(100));
            var run = new Run { Bucket = LeakyBucket.For("sim-" + Guid.NewGuid().ToString("N"), rate, burst, told, clock) };
            var oneWay = TimeSpan.FromSeconds(roundTrip / 2);
            var left = requests;
            if (idleBefore > 0)
            {
                // One request (as Connect-Bitrix24's schema read), then a pause before the run.
                var first = run.Bucket.AcquireAsync(CancellationToken.None).GetAwaiter().GetResult();
                run.Bucket.Completed(first, portal.TryEnter(clock.Elapsed) ? RequestOutcome.Accepted : RequestOutcome.Refused, TimeSpan.FromSeconds(roundTrip));
                clock.Advance(TimeSpan.FromSeconds(idleBefore));
            }
            var started = clock.Elapsed;

            void Note(string line)
            {
                run.Log.Add(line);
                run.Story.Add($"{(clock.Elapsed - started).TotalSeconds,7:0.00} {line}");
            }
            async Task Caller()
            {
                while (Interlocked.Decrement(ref left) >= 0)
                    while (true)
                    {
                        var ticket = await run.Bucket.AcquireAsync(CancellationToken.None, Note).ConfigureAwait(false);
                        await clock.Delay(oneWay, CancellationToken.None).ConfigureAwait(false);
                        var accepted = portal.TryEnter(clock.Elapsed);
                        await clock.Delay(oneWay, CancellationToken.None).ConfigureAwait(false);
                        run.Bucket.Completed(ticket, accepted ? RequestOutcome.Accepted : RequestOutcome.Refused, oneWay + oneWay, Note);
                        if (accepted) break;
                    }
            }

            // Started with no synchronization context, so what they await resumes on the advancing thread.
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            List<Task> callers;
            try { callers = Enumerable.Range(0, inFlight).Select(_ => Caller()).ToList(); }
            finally { SynchronizationContext.SetSynchronizationContext(context); }
            var steps = 0;
            while (clock.AdvanceToNextTimer())
                if (++steps > 1000000) throw new InvalidOperationException($"the run no longer moves on at {clock.Elapsed.TotalSeconds:0.000} s, {portal.Accepted} taken: " + Story(run, portal));
            Assert.All(callers, c => Assert.True(c.IsCompleted, "a caller is stuck on something other than the clock"));
            Task.WaitAll(callers.ToArray());
            run.Took = clock.Elapsed - started;
            return run;
        }

        private static string Story(Run run, PortalBucket portal) =>
            $"took {run.Took.TotalSeconds:0.0} s, {portal.Refused} refused, pace {run.Bucket.Describe()}\n" + string.Join("\n", run.Story);

        [Fact]
        public void ToldRightItNeverMovesNeverIsRefusedAndTakesTheMinimumTime()
        {
            var portal = new PortalBucket(10, 5);

            var run = Simulate(portal, 1000, rate: 10, burst: 5, told: true);

            Assert.Equal(0, portal.Refused);
            Assert.Equal(1000, portal.Accepted);
            Assert.Equal(10, run.Bucket.RequestsPerSecond);
            Assert.Equal(5, run.Bucket.Burst);
            Assert.Empty(run.Log);
            // The portal's minimum: the burst at once, the rest at its rate.
            var minimum = (1000 - 5) / 10.0;
            Assert.True(run.Took.TotalSeconds <= minimum * 1.02, Story(run, portal));
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(0.25)]
        [InlineData(0.5)]
        [InlineData(0.75)]
        public void ToldRightBesideAPortalThatDrainsOnceASecondItIsRefusedAtMostTwiceAndThenGoesInStep(double phase)
        {
            // After the first burst the told pace can run ahead of a portal that has not drained yet this second. A second
            // refusal that soon halves the pace (it reads as another client spending the room), which costs a short job
            // up to 2.2 s once; a long one loses nothing that matters. (Holding a second instead would cost the shared case.)
            var shortRun = new PortalBucket(5, 10) { DrainsOnceASecondAt = phase };
            var longRun = new PortalBucket(2, 50) { DrainsOnceASecondAt = phase };

            var run = Simulate(shortRun, 40, rate: 5, burst: 10, told: true, roundTrip: 0.05);
            var more = Simulate(longRun, 1000, rate: 2, burst: 50, told: true, roundTrip: 0.05);

            Assert.True(shortRun.Refused <= 2 && run.Took.TotalSeconds <= 6 * 1.4, Story(run, shortRun));
            Assert.True(longRun.Refused <= 1 && more.Took.TotalSeconds <= 475 * 1.01, Story(more, longRun));
        }

        [Fact]
        public void UntoldItFindsTheRateWithFewRefusals()
        {
            var portal = new PortalBucket(10, 5);

            var run = Simulate(portal, 2000, rate: 2, burst: 50, told: false);

            var story = Story(run, portal);
            Assert.Contains(run.Log, line => line.StartsWith("Pace now") && line.Contains("measured from the portal's refusals"));
            // Measured once the portal refuses; after five seconds without a refusal the pace probes upwards
            // again, 5 % a second, so it ends a little under or over the real 10/s.
            Assert.True(run.Bucket.RequestsPerSecond >= 5 && run.Bucket.RequestsPerSecond <= 13, story);
            Assert.True(portal.Refused >= 1 && portal.Refused <= 30, story);   // 1.5 % of the requests at most
            // The first seconds are spent finding the pace: 1.1 × the portal's minimum of 200 s at most.
            Assert.True(run.Took.TotalSeconds <= 2000 / 10.0 * 1.1, story);
        }

        [Fact]
        public void UntoldTheBurstIsCountedFromWhenThePortalsBucketWasLastEmpty()
        {
            // Connect's one request a second before the run had drained long before the run filled the bucket.
            var portal = new PortalBucket(5, 10);

            var run = Simulate(portal, 40, rate: 2, burst: 50, told: false, roundTrip: 0.03, idleBefore: 1.2);

            Assert.True(run.Bucket.Burst == 10, Story(run, portal));
        }

        [Fact]
        public void ToldTooHighItComesDownToWhatThePortalTakes()
        {
            var portal = new PortalBucket(2, 4);

            var run = Simulate(portal, 600, rate: 10, burst: 4, told: true);

            var story = Story(run, portal);
            var firstMeasured = run.Log.First(l => l.StartsWith("Pace now") && l.Contains("measured"));
            var firstPace = double.Parse(firstMeasured.Substring("Pace now ".Length, firstMeasured.IndexOf("/s", StringComparison.Ordinal) - "Pace now ".Length),
                                         System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(firstPace >= 1.6 && firstPace <= 2, story);
            // Then it probes upwards 5 % a second after five quiet seconds and is refused again near 2.8/s:
            // a refusal every 15 s or so is the price of noticing when another client stops.
            Assert.True(run.Bucket.RequestsPerSecond >= 1.6 && run.Bucket.RequestsPerSecond <= 3, story);
            Assert.True(portal.Refused <= 30, story);   // 5 % of the requests at most
            Assert.True(run.Took.TotalSeconds <= 600 / 2.0 * 1.1, story);
        }

        [Fact]
        public void BesideAnotherClientItTakesWhatIsLeftWithoutPilingUpRefusals()
        {
            // Told the plan's 5/s, burst 10, while another client spends 2 of them.
            var portal = new PortalBucket(5, 10) { OtherClient = 2 };

            var run = Simulate(portal, 600, rate: 5, burst: 10, told: true);

            var story = Story(run, portal);
            var minimum = 600 / 3.0;
            Assert.True(run.Took.TotalSeconds <= minimum * 1.05, story);
            Assert.True(portal.Refused < 600 * 0.05, story);
            // What it measures is the 3/s left to it; between refusals it probes a little above (the other client may stop).
            foreach (var measured in run.Log.Where(l => l.StartsWith("Pace now") && l.Contains("measured")))
            {
                var pace = double.Parse(measured.Substring("Pace now ".Length, measured.IndexOf("/s", StringComparison.Ordinal) - "Pace now ".Length),
                                        System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(pace >= 2.7 && pace <= 3.0, story);
            }
            Assert.True(run.Bucket.RequestsPerSecond < 4, story);
        }

        [Fact]
        public void AShortWindowIsWeighedByItsLengthWithTheWindowsBefore()
        {
            var clock = new VirtualClock(TimeSpan.FromSeconds(10));
            var bucket = LeakyBucket.For("pooled-" + Guid.NewGuid().ToString("N"), 10, 4, told: true, clock);
            var log = new List<string>();
            var now = clock.Elapsed.TotalSeconds;
            void Window(double seconds, int accepted)
            {
                for (var i = 0; i < accepted; i++)
                    bucket.Completed(new LeakyBucket.Ticket(now + seconds * i / accepted, TimeSpan.Zero), RequestOutcome.Accepted, TimeSpan.Zero, log.Add);
                clock.Advance(TimeSpan.FromSeconds(seconds));
                now += seconds;
                bucket.Completed(new LeakyBucket.Ticket(now, TimeSpan.Zero), RequestOutcome.Refused, TimeSpan.Zero, log.Add);
            }
            bucket.Completed(new LeakyBucket.Ticket(now, TimeSpan.Zero), RequestOutcome.Refused, TimeSpan.Zero, log.Add);

            Window(4, 12);      // 3/s over 4 s
            var first = bucket.RequestsPerSecond;
            Window(2, 4);       // 2/s over 2 s: a request off in a short window reads as a third less

            var story = string.Join("\n", log);
            Assert.True(Math.Abs(3 * 0.97 - first) < 1e-3, story);
            // (12 e^-0.2 + 4) / (4 e^-0.2 + 2) = 2.62/s, 0.97 of it; the short window alone would have said 1.94/s.
            var pooled = (12 * Math.Exp(-0.2) + 4) / (4 * Math.Exp(-0.2) + 2);
            Assert.True(Math.Abs(pooled * 0.97 - bucket.RequestsPerSecond) < 1e-3, story);
            Assert.Contains(log, l => l.Contains("2.62/s with the windows before"));
        }

        [Fact]
        public async Task TheWindowRunsFromRefusalToRefusalAsAnsweredAndCountsLateAnswers()
        {
            // The first refused request waited 0.6 s behind others before it reached the portal; the second did not.
            var clock = new VirtualClock(TimeSpan.FromSeconds(10));
            var bucket = LeakyBucket.For("window-" + Guid.NewGuid().ToString("N"), 10, 4, told: true, clock);
            var log = new List<string>();
            var start = (await bucket.AcquireAsync(CancellationToken.None)).SentAt;   // room at once: no clock wait
            bucket.Completed(new LeakyBucket.Ticket(start - 0.6, TimeSpan.Zero), RequestOutcome.Refused, TimeSpan.FromSeconds(0.6), log.Add);
            clock.Advance(TimeSpan.FromSeconds(2));
            foreach (var sent in new[] { 0.1, 0.4, 0.7, 1.0, 1.3, 1.6 })
                bucket.Completed(new LeakyBucket.Ticket(start + sent, TimeSpan.Zero), RequestOutcome.Accepted, TimeSpan.FromSeconds(0.05), log.Add);

            bucket.Completed(new LeakyBucket.Ticket(start + 1.9, TimeSpan.Zero), RequestOutcome.Refused, TimeSpan.FromSeconds(0.05), log.Add);
            var measured = bucket.RequestsPerSecond;
            // Accepted, but answered after the refusal: a batch that did work comes back later than a refusal.
            bucket.Completed(new LeakyBucket.Ticket(start + 1.8, TimeSpan.Zero), RequestOutcome.Accepted, TimeSpan.FromSeconds(0.4), log.Add);

            var story = string.Join("\n", log);
            // 6 taken over the 2 s between the refusals' answers: 6 / 2 × 0.97 = 2.91/s (timed by sending, 2.5 s: 2.33/s).
            Assert.Equal(2.91, measured, 3);
            // With the late answer 7 were taken: 7 / 2 × 0.97 = 3.395/s.
            Assert.Equal(3.395, bucket.RequestsPerSecond, 3);
            Assert.Contains(log, l => l.Contains("answered after it"));
        }

        [Theory]
        [InlineData(0.05)]
        [InlineData(0.1)]
        [InlineData(0.2)]
        public void BesideAClientThatSendsItsRefusedRequestsAgainAShortJobTakesAtMostATenthOverTheMinimum(double roundTrip)
        {
            // Told 5/s, burst 10, 40 batches, while another client spends 2 of the 5 a second and sends what is refused
            // again until it is taken, so it gets its share first whenever the portal has room (as the bench's does).
            // With answers of 0.3 s a fourth request, already on its way at a refusal, is refused too: 10 %.
            var portal = new PortalBucket(5, 10) { OtherClient = 2, OtherClientRetries = true };

            var run = Simulate(portal, 40, rate: 5, burst: 10, told: true, roundTrip: roundTrip, inFlight: 4);

            // The least time: the burst at once, the rest at the 3/s left, and the last answer's way back.
            var minimum = (40 - 10) / 3.0 + roundTrip;
            Assert.True(run.Took.TotalSeconds <= minimum * 1.1, Story(run, portal));
            Assert.True(portal.Refused < 40 * 0.1, Story(run, portal));
        }
    }
}
