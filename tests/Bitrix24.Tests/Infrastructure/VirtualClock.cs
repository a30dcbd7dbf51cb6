using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Bitrix24.Rest.Pacing;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>
    /// A clock the test moves. A delay completes when the test advances past its due time, and what
    /// awaited it (with ConfigureAwait(false)) runs on the advancing thread before Advance returns,
    /// so a simulation driven from one thread is deterministic and takes no real time.
    /// </summary>
    public sealed class VirtualClock : IClock
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        private readonly object _gate = new object();
        private readonly SortedDictionary<(TimeSpan Due, long Order), TaskCompletionSource<bool>> _timers =
            new SortedDictionary<(TimeSpan, long), TaskCompletionSource<bool>>();
        private long _order;
        private TimeSpan _now;

        /// <param name="startAt">Where the clock starts: a real process's stopwatch is well past zero.</param>
        public VirtualClock(TimeSpan startAt = default) => _now = startAt;

        public TimeSpan Elapsed { get { lock (_gate) return _now; } }
        public DateTimeOffset UtcNow => Start + Elapsed;
        public int PendingTimers { get { lock (_gate) return _timers.Count; } }

        public Task Delay(TimeSpan delay, CancellationToken cancellation)
        {
            if (delay <= TimeSpan.Zero) return Task.CompletedTask;
            var completion = new TaskCompletionSource<bool>();
            (TimeSpan, long) key;
            lock (_gate)
            {
                key = (_now + delay, _order++);
                _timers.Add(key, completion);
            }
            if (cancellation.CanBeCanceled)
                cancellation.Register(() =>
                {
                    lock (_gate) _timers.Remove(key);
                    completion.TrySetCanceled();
                });
            return completion.Task;
        }

        /// <summary>Moves to the earliest pending delay and completes it; false when none is pending.</summary>
        public bool AdvanceToNextTimer()
        {
            // Continuations are inlined only where no synchronization context (xunit sets one) wants them.
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try { return CompleteNextTimer(); }
            finally { SynchronizationContext.SetSynchronizationContext(context); }
        }

        private bool CompleteNextTimer()
        {
            TaskCompletionSource<bool> due;
            lock (_gate)
            {
                if (_timers.Count == 0) return false;
                using (var first = _timers.GetEnumerator())
                {
                    first.MoveNext();
                    var key = first.Current.Key;
                    due = first.Current.Value;
                    _timers.Remove(key);
                    if (key.Due > _now) _now = key.Due;
                }
            }
            due.TrySetResult(true);
            return true;
        }

        /// <summary>Moves the clock <paramref name="by"/> forward, completing every delay due on the way.</summary>
        public void Advance(TimeSpan by)
        {
            TimeSpan target;
            lock (_gate) target = _now + by;
            while (true)
            {
                lock (_gate)
                {
                    if (_timers.Count == 0) break;
                    using (var first = _timers.GetEnumerator())
                    {
                        first.MoveNext();
                        if (first.Current.Key.Due > target) break;
                    }
                }
                AdvanceToNextTimer();
            }
            lock (_gate) if (target > _now) _now = target;
        }
    }
}
