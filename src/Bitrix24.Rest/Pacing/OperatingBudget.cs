using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Bitrix24.Rest.Pacing
{
    /// <summary>
    /// Tracks each method's operating time as the portal reports it (<c>time.operating</c>,
    /// <c>operating_reset_at</c>) and holds calls of a method back before the portal blocks it, and
    /// after it did (OPERATION_TIME_LIMIT), until its oldest minute of usage drops out.
    /// </summary>
    public sealed class OperatingBudget
    {
        /// <summary>Share of the limit at which calls of a method pause until its reset.</summary>
        public const double SlowDownAt = 0.9;
        private static readonly DateTimeOffset Epoch = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private readonly ConcurrentDictionary<string, (double Operating, DateTimeOffset ResetAt, bool Blocked)> _methods =
            new ConcurrentDictionary<string, (double, DateTimeOffset, bool)>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Waits end this long after the reset the portal named: operating_reset_at is whole seconds
        /// of the portal's clock, and a call that arrives at that very instant is still refused.</summary>
        private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(0.25);

        private readonly IClock _clock;

        public OperatingBudget(double limitSeconds, IClock clock = null)
        {
            LimitSeconds = limitSeconds;
            _clock = clock ?? SystemClock.Instance;
        }

        public double LimitSeconds { get; set; }

        /// <summary>Records what an answer said about <paramref name="method"/>.</summary>
        public void Observe(string method, double operating, double resetAtUnix)
        {
            var resetAt = resetAtUnix > 0 ? Epoch.AddSeconds(resetAtUnix) : _clock.UtcNow.AddSeconds(60);
            _methods[method] = (operating, resetAt, false);
        }

        /// <summary>The portal blocked <paramref name="method"/>: hold it until the last known reset.</summary>
        public void Blocked(string method)
        {
            var known = _methods.TryGetValue(method, out var state) ? state.ResetAt : DateTimeOffset.MinValue;
            var resetAt = known > _clock.UtcNow ? known : _clock.UtcNow.AddSeconds(60);
            _methods[method] = (LimitSeconds, resetAt, true);
        }

        /// <summary>How long a call of <paramref name="method"/> should wait now (zero: go).</summary>
        public TimeSpan DelayFor(string method, out string reason)
        {
            reason = null;
            if (!_methods.TryGetValue(method, out var state)) return TimeSpan.Zero;
            var wait = state.ResetAt + ResetMargin - _clock.UtcNow;
            if (wait <= TimeSpan.Zero) return TimeSpan.Zero;
            if (state.Blocked)
            {
                reason = $"{method} is blocked by the portal's operating-time limit (OPERATION_TIME_LIMIT)";
                return wait;
            }
            if (state.Operating >= LimitSeconds * SlowDownAt)
            {
                reason = $"{method} has used {state.Operating:0.#} s of its {LimitSeconds:0} s operating-time budget";
                return wait;
            }
            return TimeSpan.Zero;
        }

        public async Task WaitAsync(string method, CancellationToken cancellation, Action<string> log)
        {
            var delay = DelayFor(method, out var reason);
            if (delay <= TimeSpan.Zero) return;
            log?.Invoke($"Waiting {delay.TotalSeconds:0.#} s: {reason}; it eases when the oldest minute of use drops out.");
            await _clock.Delay(delay, cancellation).ConfigureAwait(false);
            // The wait is over: forget the block so the next answer reports afresh.
            if (_methods.TryGetValue(method, out var state) && state.ResetAt + ResetMargin <= _clock.UtcNow)
                _methods.TryRemove(method, out _);
        }
    }
}
