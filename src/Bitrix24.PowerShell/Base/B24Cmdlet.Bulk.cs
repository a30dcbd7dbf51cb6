using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Transport;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// The bulk queue lifecycle, written once for every cmdlet that writes many records: queue commands,
    /// write each outcome as it arrives (errors carry the record id), show progress, stop cleanly on
    /// Ctrl+C or -ErrorAction Stop, and never leave a queued command unreported.
    /// </summary>
    public abstract partial class B24Cmdlet : IDisposable
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private sealed class BulkState
        {
            public BulkRunner Runner;
            public string Activity;
            public string Outcome;
            public string Unit;
            public Action<BulkOutcome> OnSuccess;
            public Action AfterDrain;
            public long? ExpectedTotal;
            public int Succeeded;
            public int Failed;
            public bool Completed;
            public readonly Stopwatch Clock = Stopwatch.StartNew();
            public TimeSpan? LastProgress;
            public ProgressRecord Progress;
        }

        private BulkState _bulk;

        /// <summary>Starts the bulk queue on first use. <paramref name="outcome"/> says what happened to a
        /// record that succeeded ("lead(s) updated"), for the report when a run stops early.</summary>
        protected void StartBulk(Bitrix24Client client, string activity, string outcome, Action<BulkOutcome> onSuccess, Action afterDrain = null, string unit = "records")
        {
            if (_bulk != null) return;
            var state = new BulkState { Activity = activity, Outcome = outcome, OnSuccess = onSuccess, AfterDrain = afterDrain, Unit = unit };
            state.Runner = new BulkRunner(client, Cancellation, Log);
            state.Progress = new ProgressRecord(2, activity, "Starting");
            _bulk = state;
        }

        /// <summary>How many items the whole run will have, when known (for the progress bar).</summary>
        protected long? BulkExpectedTotal
        {
            get => _bulk?.ExpectedTotal;
            set { if (_bulk != null) _bulk.ExpectedTotal = value; }
        }

        /// <summary>The bulk run's runner (e.g. to give it a reader for current values).</summary>
        protected BulkRunner BulkRunner => _bulk?.Runner;


        /// <summary>Queues one command and writes whatever finished meanwhile.</summary>
        protected void QueueBulk(BulkCommand command)
        {
            _bulk.Runner.Add(command);
            DrainBulk();
            // Keeps memory flat on endless input, and the pipeline only as far ahead as the sending needs.
            while (_bulk.Runner.HasEnoughQueued)
            {
                _bulk.Runner.WaitForActivity(TimeSpan.FromMilliseconds(200));
                DrainBulk();
            }
        }

        /// <summary>Sends what is queued and waits for every outcome.</summary>
        protected void CompleteBulk()
        {
            if (_bulk == null) return;
            _bulk.Runner.Flush();
            while (_bulk.Runner.Finished < _bulk.Runner.Added)
            {
                _bulk.Runner.WaitForActivity(TimeSpan.FromMilliseconds(200));
                DrainBulk();
            }
            DrainBulk();
            _bulk.Completed = true;
            if (_bulk.LastProgress.HasValue)
            {
                _bulk.Progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_bulk.Progress);
            }
            var seconds = Math.Max(0.001, _bulk.Clock.Elapsed.TotalSeconds);
            WriteVerbose($"{_bulk.Activity}: {_bulk.Succeeded} done, {_bulk.Failed} failed in {seconds:0.0} s " +
                         $"({_bulk.Runner.Requests} request(s), {(_bulk.Succeeded + _bulk.Failed) / seconds:0.#}/s).");
        }

        private void DrainBulk()
        {
            var state = _bulk;
            try
            {
                FlushVerbose();
                while (state.Runner.TryTakeOutcome(out var outcome))
                {
                    if (outcome.Succeeded)
                    {
                        state.Succeeded++;
                        state.OnSuccess?.Invoke(outcome);
                    }
                    else
                    {
                        state.Failed++;
                        if (outcome.Error is OperationCanceledException && Cancellation.IsCancellationRequested) continue;
                        WriteB24Error(outcome.Error, outcome.Command.Target ?? outcome.Command.RecordId);
                    }
                }
                state.AfterDrain?.Invoke();
                ShowBulkProgress(state, force: false);
            }
            catch (Exception)
            {
                // -ErrorAction Stop (or a stopped pipeline): send nothing more, say what was done, then let it end the command.
                state.Runner.Cancel();
                WriteStopReport(state);
                throw;
            }
            if (Cancellation.IsCancellationRequested)
            {
                WriteStopReport(state);
                throw new PipelineStoppedException();
            }
        }

        private void ShowBulkProgress(BulkState state, bool force)
        {
            var now = state.Clock.Elapsed;
            if (!force && state.LastProgress.HasValue && now - state.LastProgress.Value < ProgressInterval) return;
            state.LastProgress = now;
            var done = state.Succeeded + state.Failed;
            var rate = done / Math.Max(0.001, now.TotalSeconds);
            var progress = state.Progress;
            if (state.ExpectedTotal is long total && total > 0)
            {
                progress.StatusDescription = $"{done} of {total} {state.Unit} ({rate:0.#}/s, {state.Failed} failed)";
                progress.PercentComplete = (int)Math.Min(100, done * 100 / total);
                progress.SecondsRemaining = rate > 0 ? (int)Math.Ceiling(Math.Max(0, total - done) / rate) : -1;
            }
            else
            {
                progress.StatusDescription = $"{done} {state.Unit} ({rate:0.#}/s, {state.Failed} failed)";
                progress.PercentComplete = -1;
            }
            WriteProgress(progress);
        }

        /// <summary>
        /// Counts what finished (without writing it to the ended pipeline) and says so as a warning, so
        /// -WarningAction and -WarningVariable see it. After Ctrl+C PowerShell takes no more output from a
        /// stopped command: the warning then goes to the host, unless the warning preference silences it.
        /// </summary>
        private void WriteStopReport(BulkState state)
        {
            if (state.Completed) return;
            var report = StopReport(state);
            if (state.Failed == state.Runner.Added) return;   // only failures, each already reported with its id
            try
            {
                WriteWarning(report);
            }
            catch (PipelineStoppedException)
            {
                if (WarningShown) Host?.UI?.WriteWarningLine(report);
            }
        }

        /// <summary>Whether this command's warnings are shown (-WarningAction, else $WarningPreference).</summary>
        private bool WarningShown
        {
            get
            {
                var preference = MyInvocation.BoundParameters.TryGetValue("WarningAction", out var given) ? given
                                 : GetVariableValue("WarningPreference");
                return !(preference is ActionPreference action) || action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
            }
        }

        /// <summary>If the pipeline ends early (an error upstream), say what was never sent.</summary>
        public void Dispose()
        {
            var state = _bulk;
            if (state != null)
            {
                // Stopped (Ctrl+C) or ended early by an error upstream: nothing more is sent; say what was done.
                state.Runner.Cancel();
                if (!state.Completed && state.Runner.Added > 0) ReportToHost(state);
                state.Runner.Dispose();
            }
            _stopping.Cancel();   // nothing of a stopped or ended command goes on in the background
            _stopping.Dispose();
        }

        /// <summary>The pipeline ended before this command finished (an error upstream): the command can no
        /// longer write, so the host is told what was done.</summary>
        private void ReportToHost(BulkState state)
        {
            var report = StopReport(state);
            if (state.Failed < state.Runner.Added && WarningShown) Host?.UI?.WriteWarningLine(report);
        }

        /// <summary>Ends the run's count (outcomes not yet taken are counted, not written) and says what was done.</summary>
        private static string StopReport(BulkState state)
        {
            state.Completed = true;
            while (state.Runner.TryTakeOutcome(out var outcome))
            {
                if (outcome.Succeeded) state.Succeeded++;
                else state.Failed++;
            }
            var notConfirmed = state.Runner.Added - state.Succeeded - state.Failed;
            return $"{state.Activity} stopped: {state.Succeeded} {state.Outcome}, {state.Failed} failed, " +
                   $"{notConfirmed} not confirmed (not sent, or cancelled in flight and possibly applied).";
        }
    }
}
