using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Bitrix24.Rest.Pacing
{
    /// <summary>
    /// The client's copy of the portal's leaky bucket: each request adds one, the bucket drains
    /// <see cref="RequestsPerSecond"/>, and a request waits until it fits under <see cref="Burst"/>. One
    /// bucket per portal and credential for the whole process, so runspaces of ForEach-Object -Parallel
    /// and thread jobs share it and together stay under the limit.
    /// </summary>
    public sealed class LeakyBucket
    {
        /// <summary>Room kept free against jitter between our send and the portal's arrival time: half a
        /// request tolerates requests arriving up to 0.5/rate seconds closer together than they were sent
        /// (250 ms at 2/s), and costs that much only once, when the bucket first fills.</summary>
        private const double SafetyMargin = 0.5;
        private static readonly ConcurrentDictionary<string, LeakyBucket> Buckets = new ConcurrentDictionary<string, LeakyBucket>();
        private readonly object _gate = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _level;
        private double _lastLeak;

        private LeakyBucket(double requestsPerSecond, int burst)
        {
            RequestsPerSecond = requestsPerSecond;
            Burst = burst;
        }

        public double RequestsPerSecond { get; private set; }
        public int Burst { get; private set; }

        /// <summary>The shared bucket for <paramref name="key"/>; its settings follow the latest caller.</summary>
        public static LeakyBucket For(string key, double requestsPerSecond, int burst)
        {
            var bucket = Buckets.GetOrAdd(key, _ => new LeakyBucket(requestsPerSecond, burst));
            lock (bucket._gate)
            {
                bucket.RequestsPerSecond = requestsPerSecond;
                bucket.Burst = burst;
            }
            return bucket;
        }

        /// <summary>Waits until one more request fits, then counts it. Returns the time waited.</summary>
        public async Task<TimeSpan> AcquireAsync(CancellationToken cancellation)
        {
            var waited = TimeSpan.Zero;
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    Leak();
                    var room = Burst - SafetyMargin - _level;
                    if (room >= 1 || RequestsPerSecond <= 0)
                    {
                        _level += 1;
                        return waited;
                    }
                    wait = TimeSpan.FromSeconds((1 - room) / RequestsPerSecond);
                }
                if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
                await Task.Delay(wait, cancellation).ConfigureAwait(false);
                waited += wait;
            }
        }

        /// <summary>The portal said the bucket is full: believe it (it may count other clients too).</summary>
        public void MarkFull()
        {
            lock (_gate)
            {
                Leak();
                _level = Math.Max(_level, Burst);
            }
        }

        private void Leak()
        {
            var now = _clock.Elapsed.TotalSeconds;
            _level = Math.Max(0, _level - (now - _lastLeak) * RequestsPerSecond);
            _lastLeak = now;
        }
    }
}
