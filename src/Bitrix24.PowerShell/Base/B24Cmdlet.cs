using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// The root of every cmdlet: parameter checks, error reporting through <see cref="ErrorMapper"/>,
    /// and running the client's async calls on the pipeline thread so verbose lines and Ctrl+C work.
    /// </summary>
    public abstract partial class B24Cmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
        protected CancellationToken Cancellation => _stopping.Token;

        protected bool ParameterSpecified(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        private bool? _verboseEnabled;

        /// <summary>Whether verbose output is shown: when it is not, no log text is even built.</summary>
        protected bool VerboseEnabled
        {
            get
            {
                if (_verboseEnabled == null)
                {
                    _verboseEnabled = MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose)
                        ? ((SwitchParameter)verbose).IsPresent
                        : GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue
                          && preference != ActionPreference.Ignore;
                }
                return _verboseEnabled.Value;
            }
        }

        /// <summary>Whether ShouldProcess may show its text (-WhatIf, -Confirm, verbose, or a low
        /// $ConfirmPreference): describing a change costs time a bulk run need not spend otherwise.</summary>
        protected bool ChangeTextShown => _changeTextShown ?? (bool)(_changeTextShown =
            MyInvocation.BoundParameters.ContainsKey("WhatIf") || MyInvocation.BoundParameters.ContainsKey("Confirm") || VerboseEnabled
            || GetVariableValue("WhatIfPreference") is SwitchParameter whatIf && whatIf.IsPresent
            || GetVariableValue("WhatIfPreference") is bool whatIfOn && whatIfOn
            || GetVariableValue("ConfirmPreference") is ConfirmImpact confirm && confirm != ConfirmImpact.None && confirm <= ConfirmImpact.Medium);

        private bool? _changeTextShown;

        /// <summary>Reports one failed item and goes on with the rest of the pipeline, unless the
        /// credential itself was refused: then nothing can go on, and the command stops.</summary>
        protected void WriteB24Error(Exception exception, object target)
        {
            if (exception is Bitrix24.Rest.Transport.Bitrix24Exception b24 && b24.Kind == Bitrix24.Rest.Transport.Bitrix24ErrorKind.Authentication)
                ThrowTerminatingError(ErrorMapper.ToErrorRecord(exception, target));
            WriteError(ErrorMapper.ToErrorRecord(exception, target));
        }

        /// <summary>Stops the command: for failures nothing can go on after (no session, bad credentials).</summary>
        protected void ThrowB24Error(Exception exception, object target) =>
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(exception, target));

        /// <summary>
        /// Runs an async client operation and waits for it here, writing its log lines as verbose output
        /// while it runs (cmdlet output may only be written from this thread).
        /// </summary>
        protected T Await<T>(Func<CancellationToken, Action<string>, Task<T>> operation)
        {
            var lines = new ConcurrentQueue<string>();
            var task = operation(Cancellation, VerboseEnabled ? lines.Enqueue : (Action<string>)null);
            try
            {
                while (!task.Wait(TimeSpan.FromMilliseconds(100))) FlushVerbose(lines);
            }
            catch (AggregateException)
            {
                // rethrown unwrapped below
            }
            finally
            {
                FlushVerbose(lines);
            }
            if (task.IsCanceled && Cancellation.IsCancellationRequested) throw new PipelineStoppedException();
            return task.GetAwaiter().GetResult();
        }

        protected void Await(Func<CancellationToken, Action<string>, Task> operation) =>
            Await<bool>(async (cancel, log) => { await operation(cancel, log).ConfigureAwait(false); return true; });

        private void FlushVerbose(ConcurrentQueue<string> lines)
        {
            while (lines.TryDequeue(out var line)) WriteVerbose(line);
        }

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            _bulk?.Runner.Cancel();
        }
    }
}
