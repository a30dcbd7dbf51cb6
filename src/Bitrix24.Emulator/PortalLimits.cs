using System;
using System.Collections.Generic;
using System.Linq;

namespace Bitrix24.Emulator
{
    /// <summary>
    /// The portal's limits (limits.md): a leaky bucket per portal (each HTTP request adds 1, a batch
    /// too; over <see cref="Burst"/> the request gets 503 QUERY_LIMIT_EXCEEDED; it drains
    /// <see cref="RequestsPerSecond"/>), and an operating-time budget per method summed over ten
    /// one-minute baskets (over the limit: 429 OPERATION_TIME_LIMIT).
    /// </summary>
    public sealed class PortalLimits
    {
        /// <summary>Drain rate; null switches the bucket off. Most plans: 2; Enterprise: 5.</summary>
        public double? RequestsPerSecond { get; set; }
        /// <summary>Bucket size. Most plans: 50; Enterprise: 250.</summary>
        public int Burst { get; set; } = 50;
        /// <summary>Execution seconds a method may sum over the window (cloud: 480).</summary>
        public double OperatingLimitSeconds { get; set; } = 480;
        /// <summary>Execution seconds each call of a method is charged (0: the budget never fills).</summary>
        public double OperatingCostPerCall { get; set; }
        /// <summary>Length of one basket; ten make the window. 60 s on the real portal; tests shrink it.</summary>
        public TimeSpan BasketLength { get; set; } = TimeSpan.FromSeconds(60);

        public static PortalLimits OtherPlans() => new PortalLimits { RequestsPerSecond = 2, Burst = 50 };
        public static PortalLimits Enterprise() => new PortalLimits { RequestsPerSecond = 5, Burst = 250 };
    }

    /// <summary>Faults the portal injects at random (seeded, so a run can be repeated).</summary>
    public sealed class FaultPlan
    {
        /// <summary>Share of HTTP requests answered 500 INTERNAL_SERVER_ERROR without being applied.</summary>
        public double ServerErrorRate { get; set; }
        /// <summary>Share of HTTP requests whose connection drops: half before the call is applied, half after.</summary>
        public double DropRate { get; set; }
        public int Seed { get; set; } = 1;
    }

    /// <summary>The bucket and budget state of one portal (guarded by the portal's lock).</summary>
    internal sealed class LimitState
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private double _level;
        private DateTime _lastLeak = DateTime.UtcNow;
        private readonly Dictionary<string, List<(long Basket, double Seconds)>> _operating =
            new Dictionary<string, List<(long, double)>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Counts one request into the bucket; false when it is full (the request is refused).</summary>
        public bool TryEnter(PortalLimits limits, DateTime now)
        {
            if (!(limits.RequestsPerSecond is double rate)) return true;
            _level = Math.Max(0, _level - (now - _lastLeak).TotalSeconds * rate);
            _lastLeak = now;
            if (_level + 1 > limits.Burst + 1e-9) return false;
            _level += 1;
            return true;
        }

        public double Operating(string method, PortalLimits limits, DateTime now)
        {
            Prune(method, limits, now);
            return _operating.TryGetValue(method, out var baskets) ? baskets.Sum(b => b.Seconds) : 0;
        }

        public void Charge(string method, PortalLimits limits, DateTime now, double seconds)
        {
            if (seconds <= 0) return;
            if (!_operating.TryGetValue(method, out var baskets)) _operating[method] = baskets = new List<(long, double)>();
            var current = BasketOf(limits, now);
            var last = baskets.Count - 1;
            if (last >= 0 && baskets[last].Basket == current) baskets[last] = (current, baskets[last].Seconds + seconds);
            else baskets.Add((current, seconds));
        }

        /// <summary>Unix time at which the oldest basket of <paramref name="method"/> drops out.</summary>
        public double ResetAt(string method, PortalLimits limits, DateTime now)
        {
            Prune(method, limits, now);
            var oldest = _operating.TryGetValue(method, out var baskets) && baskets.Count > 0 ? baskets[0].Basket : BasketOf(limits, now);
            var resetTicks = (oldest + 10) * limits.BasketLength.Ticks;
            return (new DateTime(resetTicks, DateTimeKind.Utc) - Epoch).TotalSeconds;
        }

        private void Prune(string method, PortalLimits limits, DateTime now)
        {
            if (_operating.TryGetValue(method, out var baskets))
                baskets.RemoveAll(b => b.Basket <= BasketOf(limits, now) - 10);
        }

        private static long BasketOf(PortalLimits limits, DateTime now) => now.Ticks / limits.BasketLength.Ticks;
    }
}
