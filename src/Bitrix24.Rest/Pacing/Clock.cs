using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Bitrix24.Rest.Pacing
{
    /// <summary>
    /// The one time source of everything that paces or waits: the bucket, the operating budget, the
    /// calls-in-flight limit and retry backoff. Production uses <see cref="SystemClock"/>; tests hand a
    /// connection a virtual clock they advance, so pacing is tested without sleeping.
    /// </summary>
    public interface IClock
    {
        /// <summary>Monotonic time since the clock started: intervals and send times are measured on it.</summary>
        TimeSpan Elapsed { get; }

        /// <summary>Wall time, for what the portal states as a date (operating_reset_at).</summary>
        DateTimeOffset UtcNow { get; }

        /// <summary>Completes after <paramref name="delay"/> of this clock's time.</summary>
        Task Delay(TimeSpan delay, CancellationToken cancellation);
    }

    /// <summary>The machine's clocks: a monotonic stopwatch, the UTC wall clock and Task.Delay.</summary>
    public sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        private SystemClock() { }

        public TimeSpan Elapsed => _elapsed.Elapsed;
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public Task Delay(TimeSpan delay, CancellationToken cancellation) =>
            delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, cancellation);
    }
}
