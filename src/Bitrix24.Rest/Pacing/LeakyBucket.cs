using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Bitrix24.Rest.Pacing
{
    /// <summary>
    /// The client's copy of the portal's leaky bucket: each request adds one, the bucket drains
    /// <see cref="RequestsPerSecond"/>, and a request waits until it fits under <see cref="Burst"/>. One
    /// bucket per portal and credential for the whole process, so runspaces of ForEach-Object -Parallel
    /// and thread jobs share it, and share what it learns.
    /// <para>
    /// It learns the portal's real limits from QUERY_LIMIT_EXCEEDED: a refusal says the portal's bucket
    /// is full at that moment. The requests the portal took between two such moments are what it drained
    /// in between, so their count over the time between is the rate left for this client (other clients
    /// of the portal included), pooled with the windows before it, each weighed by its length. Told limits
    /// are a starting point and a ceiling; untold, the pace starts at the common plan's 2/s and grows until
    /// the portal first refuses, then follows what it measured.
    /// </para>
    /// </summary>
    public sealed class LeakyBucket
    {
        /// <summary>Room kept free against jitter between our send and the portal's arrival time: requests may
        /// arrive up to this much closer together than they were sent (at least half a request: 250 ms at 2/s).
        /// It costs that much only once, when the bucket first fills.</summary>
        private static readonly TimeSpan JitterTolerance = TimeSpan.FromSeconds(0.1);
        private const double SafetyMargin = 0.5;
        /// <summary>The pace kept under a measured rate: a pace over it is refused again, one under it leaves room
        /// unused; the measurement's error is a request either way.</summary>
        private const double MeasuredShare = 0.97;
        /// <summary>After a refusal nothing is sent for a while: while probing, this long, so the next refusal measures
        /// over a second or more; at a pace it trusts, <see cref="ShortestQuiet"/>, so the requests already on their
        /// way come back before more go. Our copy drains meanwhile, so the portal's room is used when it ends.</summary>
        private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan ShortestQuiet = TimeSpan.FromSeconds(0.2);
        /// <summary>Untold and not yet measured: the pace grows this much per half second spent waiting for room.</summary>
        private const double ProbeGrowth = 1.5;
        /// <summary>A measured pace grows this much per second spent waiting for room, once no refusal
        /// has come for <see cref="SteadyBeforeGrowth"/> (another client may have stopped).</summary>
        private const double SteadyGrowth = 1.05;
        /// <summary>A halved pace is a guess under the portal's rate: it grows this much a second until the
        /// next refusal, which measures the rate over the time since the one that halved it.</summary>
        private const double SearchGrowth = 1.2;
        private static readonly TimeSpan SteadyBeforeGrowth = TimeSpan.FromSeconds(5);
        /// <summary>A rate is measured over at least this long and this many requests, or not at all. Probing, a window
        /// follows the second's quiet time and is a little over a second; a pace told or measured already is replaced
        /// only by a window of <see cref="TrustedInterval"/> (a shorter one's count, a request off, misleads by 30 % or
        /// more), and a refusal sooner halves it.</summary>
        private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(0.8);
        private static readonly TimeSpan TrustedInterval = TimeSpan.FromSeconds(2);
        private const int MinimumAccepted = 3;
        /// <summary>Measured windows are pooled, each weighted by its length, the older fading over this time: one short
        /// window's count is a request off either way (±0.3/s over 3 s), and a pace set from it alone is that far off.</summary>
        private static readonly TimeSpan MeasureHorizon = TimeSpan.FromSeconds(10);

        private static readonly ConcurrentDictionary<string, LeakyBucket> Buckets = new ConcurrentDictionary<string, LeakyBucket>();
        private readonly object _gate = new object();
        private readonly IClock _clock;
        private double _level;
        private double _lastLeak;

        private bool _told;
        private double _ceilingRate = double.PositiveInfinity;
        private int _ceilingBurst = int.MaxValue;
        private bool _measured;           // the rate comes from the portal's refusals
        private bool _halved;             // the rate was halved on a refusal too soon to measure: a guess under the wall
        private bool _burstLearned;       // the burst comes from the first refusal (or was told)
        private bool _waitedForRoom;      // the pace, not the burst, has limited us: a first refusal then says nothing of the burst
        private double _firstSend = -1;   // when our copy was last empty before a send (the burst is counted from then)
        private int _acceptedSinceEmpty;
        private double _fullSentAt = -1;  // send time of the last refused request: the portal was full when it arrived
        // When that refusal came back: the portal answers a refusal at once, so this is when it was full, give or
        // take a constant latency. Its send time is not: a request can queue behind others while the pace is too high.
        private double _fullAt = -1;
        private int _acceptedSinceFull;
        // The window the last rate was measured over, up to the last refusal (-1: none): accepted requests sent in
        // it whose answers come back after that refusal (which returns sooner than a batch that did work) still count.
        private double _windowStart = -1, _windowEnd, _windowSeconds;
        private int _windowAccepted;
        private double _pooledAccepted, _pooledSeconds;   // the measured windows, faded by MeasureHorizon
        private double _quietUntil;
        private double _lastRefusal = double.NegativeInfinity;
        private double _lastGrowth;
        private int _outstanding;
        private double _roundTrip = 0.05;

        private LeakyBucket(double requestsPerSecond, int burst, IClock clock)
        {
            _clock = clock;
            _lastLeak = Now;
            RequestsPerSecond = requestsPerSecond;
            Burst = burst;
        }

        public double RequestsPerSecond { get; private set; }
        public int Burst { get; private set; }

        /// <summary>What the pace is and where it comes from, for -Verbose and the connection object.</summary>
        public string Describe()
        {
            lock (_gate) return DescribeLocked();
        }

        private string DescribeLocked() =>
            string.Format(CultureInfo.InvariantCulture, "{0:0.##}/s, burst {1} ({2})", RequestsPerSecond, Burst,
                _measured ? "measured from the portal's refusals" : _told ? "as told" : "not told: growing until the portal refuses");

        /// <summary>
        /// The shared bucket for <paramref name="key"/>, on the clock of whoever made it first. Told limits (<paramref name="told"/>) set the pace
        /// and cap what is learned; untold ones start a new bucket but do not undo what an existing one learned.
        /// </summary>
        public static LeakyBucket For(string key, double requestsPerSecond, int burst, bool told = true, IClock clock = null)
        {
            var bucket = Buckets.GetOrAdd(key, _ => new LeakyBucket(requestsPerSecond, burst, clock ?? SystemClock.Instance));
            lock (bucket._gate)
            {
                if (told && (!bucket._told || bucket._ceilingRate != requestsPerSecond || bucket._ceilingBurst != burst))
                {
                    bucket._told = true;
                    bucket._ceilingRate = requestsPerSecond;
                    bucket._ceilingBurst = burst;
                    bucket.RequestsPerSecond = requestsPerSecond;
                    bucket.Burst = burst;
                    bucket._measured = false;
                    bucket._halved = false;
                    bucket._pooledAccepted = bucket._pooledSeconds = 0;
                    bucket._burstLearned = true;
                }
            }
            return bucket;
        }

        /// <summary>
        /// Waits until one more request fits, then counts it. Returns the ticket to hand to
        /// <see cref="Completed"/> when the answer is known (every ticket must be completed once).
        /// </summary>
        public async Task<Ticket> AcquireAsync(CancellationToken cancellation, Action<string> log = null)
        {
            var waited = TimeSpan.Zero;
            while (true)
            {
                TimeSpan wait;
                string change = null;
                lock (_gate)
                {
                    var now = Now;
                    Leak(now);
                    var room = Math.Max(1, Burst - Math.Max(SafetyMargin, RequestsPerSecond * JitterTolerance.TotalSeconds)) - _level;
                    if (now < _quietUntil)
                        wait = TimeSpan.FromSeconds(_quietUntil - now);
                    else if (!_told && !_measured && _outstanding >= ProbeOutstanding)
                        wait = TimeSpan.FromMilliseconds(2);   // probing untold: few requests past the wall at once
                    else if (room >= 1 || RequestsPerSecond <= 0)
                    {
                        // Our copy empty means the portal's is too (untold, ours drains no faster than the
                        // portal's): the burst is counted from here.
                        if (_firstSend < 0 || _level <= 0 && _outstanding == 0 && !_burstLearned)
                        {
                            _firstSend = now;
                            _acceptedSinceEmpty = 0;
                        }
                        _level += 1;
                        _outstanding++;
                        return new Ticket(now, waited);
                    }
                    else
                    {
                        _waitedForRoom = true;
                        wait = TimeSpan.FromSeconds((1 - room) / RequestsPerSecond);
                        change = Grow(now);
                    }
                }
                if (change != null) log?.Invoke(change);
                if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
                await _clock.Delay(wait, cancellation).ConfigureAwait(false);
                waited += wait;
            }
        }

        /// <summary>Untold and unmeasured, as many requests may be out as keep twice the pace going (Little's
        /// law): enough to use the portal's burst, few enough that few arrive after the wall.</summary>
        private int ProbeOutstanding => Math.Max(1, (int)Math.Ceiling(2 * RequestsPerSecond * _roundTrip));

        /// <summary>The request waits for room in our copy: the pace may be below what the portal allows.</summary>
        private string Grow(double now)
        {
            var probing = !_told && !_measured;
            if (now - _lastGrowth < (probing ? 0.5 : 1)) return null;
            double factor;
            if (probing) factor = ProbeGrowth;
            else if (_halved && RequestsPerSecond < _ceilingRate) factor = SearchGrowth;
            else if (now - _lastRefusal >= SteadyBeforeGrowth.TotalSeconds && RequestsPerSecond < _ceilingRate) factor = SteadyGrowth;
            else return null;
            _lastGrowth = now;
            var before = RequestsPerSecond;
            RequestsPerSecond = Math.Min(_ceilingRate, RequestsPerSecond * factor);
            return RequestsPerSecond > before * 1.09 || factor == SteadyGrowth && RequestsPerSecond > before
                ? $"Pace raised to {DescribeLocked()}: requests have waited for room without a refusal."
                : null;
        }

        /// <summary>The answer to a request: accepted by the portal, refused with QUERY_LIMIT_EXCEEDED, or
        /// unknown (a network failure: not used for learning).</summary>
        public void Completed(Ticket ticket, RequestOutcome outcome, TimeSpan roundTrip, Action<string> log = null)
        {
            string change = null;
            lock (_gate)
            {
                _outstanding = Math.Max(0, _outstanding - 1);
                if (roundTrip > TimeSpan.Zero) _roundTrip = _roundTrip * 0.8 + roundTrip.TotalSeconds * 0.2;
                if (outcome == RequestOutcome.Accepted)
                {
                    if (ticket.SentAt >= _firstSend) _acceptedSinceEmpty++;
                    if (_fullSentAt >= 0 && ticket.SentAt >= _fullSentAt) _acceptedSinceFull++;
                    if (_windowStart >= 0 && ticket.SentAt >= _windowStart && ticket.SentAt < _windowEnd)
                    {
                        ++_windowAccepted;
                        var corrected = MeasuredPace(++_pooledAccepted, _pooledSeconds);
                        if (corrected > RequestsPerSecond)
                        {
                            RequestsPerSecond = corrected;
                            change = string.Format(CultureInfo.InvariantCulture,
                                "Pace now {0}: a request sent before the last refusal was answered after it; it drained {1} in {2:0.0} s.",
                                DescribeLocked(), _windowAccepted, _windowSeconds);
                        }
                    }
                }
                // A request sent before the last refusal came back is refused by the same full bucket: not news.
                else if (outcome == RequestOutcome.Refused && ticket.SentAt > _lastRefusal)
                    change = Refused(ticket.SentAt);
            }
            if (change != null) log?.Invoke(change);
        }

        /// <summary>The portal's bucket was full when the request sent at <paramref name="sentAt"/> arrived.</summary>
        private string Refused(double sentAt)
        {
            var now = Now;
            var reason = "the portal refused a request (QUERY_LIMIT_EXCEEDED)";
            _windowStart = -1;
            if (_fullSentAt < 0 && !_burstLearned && _firstSend >= 0 && !_waitedForRoom)
            {
                // The first refusal: what the portal took before it, less what it drained meanwhile, is its burst.
                // Rounded down: the portal may drain faster than our pace, so this may be a little
                // over its level; one request too few costs a slot once, one too many a refusal.
                var burst = (int)Math.Floor(_acceptedSinceEmpty - RequestsPerSecond * (sentAt - _firstSend));
                Burst = Math.Max(1, Math.Min(_ceilingBurst, burst));
                _burstLearned = true;
                reason += $" after taking {_acceptedSinceEmpty}";
            }
            else if (_fullSentAt >= 0)
            {
                // Full now and full before: what it took in between is what it drained, the rate left to this client.
                var seconds = now - _fullAt;
                var drained = _acceptedSinceFull;
                var shortest = _told || _measured ? TrustedInterval : MinimumInterval;
                if (seconds >= shortest.TotalSeconds && drained >= MinimumAccepted)
                {
                    var measured = drained / seconds;
                    var fade = Math.Exp(-seconds / MeasureHorizon.TotalSeconds);
                    _pooledAccepted = _pooledAccepted * fade + drained;
                    _pooledSeconds = _pooledSeconds * fade + seconds;
                    RequestsPerSecond = MeasuredPace(_pooledAccepted, _pooledSeconds);
                    _measured = true;
                    _halved = false;
                    _windowStart = _fullSentAt;
                    _windowEnd = sentAt;
                    _windowSeconds = seconds;
                    _windowAccepted = drained;
                    reason += string.Format(CultureInfo.InvariantCulture, "; it drained {0} in {1:0.0} s ({2:0.##}/s; {3:0.##}/s with the windows before)",
                                            drained, seconds, measured, _pooledAccepted / _pooledSeconds);
                }
                else if (_told || _measured || _burstLearned)
                {
                    // Refused again too soon to measure: the pace is well above what the portal takes.
                    RequestsPerSecond = Math.Max(0.1, RequestsPerSecond / 2);
                    _halved = true;
                    _pooledAccepted = _pooledSeconds = 0;   // what was measured no longer holds
                    reason += " again within a moment; the pace is halved";
                }
            }
            _fullSentAt = sentAt;
            _fullAt = now;
            _acceptedSinceFull = 0;
            _lastRefusal = now;
            _lastGrowth = now;
            // Full now, and our copy with it. It drains through the quiet time at the pace, as the portal's does at
            // its rate: what the portal drained meanwhile is sent when the quiet time ends, not lost.
            Leak(now);
            _level = Math.Max(_level, Burst);
            // Probing, the quiet time is the longest: the next refusal then measures over a full second or more.
            var quiet = !_told && !_measured ? Quiet.TotalSeconds : ShortestQuiet.TotalSeconds;
            _quietUntil = now + quiet;
            return string.Format(CultureInfo.InvariantCulture, "Pace now {0}: {1}; nothing is sent for {2:0.0#} s.", DescribeLocked(), reason, quiet);
        }

        private double Now => _clock.Elapsed.TotalSeconds;

        // Full "at" a refusal means within a request of full, at both ends: the count is right within one request
        // either way, so the pace is the count over the time, a little under (MeasuredShare).
        private double MeasuredPace(double drained, double seconds) =>
            Math.Max(0.1, Math.Min(_ceilingRate, drained / seconds * MeasuredShare));

        private void Leak(double now)
        {
            if (now <= _lastLeak) return;
            _level = Math.Max(0, _level - (now - _lastLeak) * RequestsPerSecond);
            _lastLeak = now;
        }

        /// <summary>One request's place in the bucket: when it was let through, and how long it waited.</summary>
        public readonly struct Ticket
        {
            internal Ticket(double sentAt, TimeSpan waited)
            {
                SentAt = sentAt;
                Waited = waited;
            }

            internal double SentAt { get; }
            public TimeSpan Waited { get; }
        }
    }

    /// <summary>How the portal answered a paced request.</summary>
    public enum RequestOutcome
    {
        Accepted,
        Refused,
        Unknown,
    }
}
