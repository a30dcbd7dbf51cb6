using System;

namespace Bitrix24.Rest.Pacing
{
    /// <summary>
    /// How many calls a bulk run keeps in flight, following how fast the portal answers (a gradient limit,
    /// as TCP Vegas and Netflix's concurrency-limits do it): after each answer the limit moves a fifth of the
    /// way towards limit × min(1, 1.5 × fastest ÷ this answer's time) + 4. While answers come about as fast
    /// as the fastest seen, the portal has room and the limit grows. When they slow down, the extra calls
    /// only queue at the portal (on a real portal, ending in 500s), so the limit comes down to the calls the
    /// portal serves at full speed plus four, which wait there so it always has the next call. A failing
    /// portal halves the limit, at most once a second of the clock.
    /// </summary>
    public sealed class InFlightLimit
    {
        /// <summary>How much slower than the fastest answer seen still counts as "the portal keeps up".</summary>
        private const double Tolerance = 1.5;
        /// <summary>Calls allowed to wait at the portal beyond what it answers at full speed.</summary>
        private const double QueueHeadroom = 4;
        private const double Smoothing = 0.2;
        private static readonly TimeSpan BetweenDecreases = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly IClock _clock;
        private readonly int _most;
        private double _limit;
        private TimeSpan _fastest = TimeSpan.MaxValue;
        private TimeSpan? _lastDecrease;

        public InFlightLimit(int most, IClock clock, int start = 4)
        {
            _most = Math.Max(1, most);
            _limit = Math.Min(start, _most);
            _clock = clock;
        }

        /// <summary>Calls that may be in flight now (at least one).</summary>
        public int Current
        {
            get { lock (_gate) return Math.Max(1, (int)_limit); }
        }

        /// <summary>A call was answered after <paramref name="took"/>.</summary>
        public void Answered(TimeSpan took)
        {
            lock (_gate)
            {
                if (took < _fastest) _fastest = took;
                // One millisecond on top: answers of a local portal differ by scheduling noise alone.
                var keepsUp = (_fastest.Ticks * Tolerance + TimeSpan.TicksPerMillisecond) / Math.Max(1, took.Ticks);
                var target = _limit * Math.Min(1, keepsUp) + QueueHeadroom;
                _limit = Math.Max(1, Math.Min(_most, _limit * (1 - Smoothing) + target * Smoothing));
            }
        }

        /// <summary>A call failed in a way that may pass (5xx, dropped connection). Returns the new limit
        /// when it was halved, null when it was not (once a second: a burst of failures is one signal).</summary>
        public int? Failed()
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                if (_lastDecrease is TimeSpan last && now - last < BetweenDecreases || _limit <= 1) return null;
                _lastDecrease = now;
                _limit = Math.Max(1, _limit / 2);
                return (int)_limit;
            }
        }
    }
}
