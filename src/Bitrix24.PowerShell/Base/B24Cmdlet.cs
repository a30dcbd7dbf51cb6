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
        /// Where the client's log lines go, from whichever thread makes a request: one queue for the whole
        /// command, written as verbose output whenever this thread can write (null when verbose is off).
        /// A request started in one call and answered in a later one is still shown.
        /// </summary>
        protected Action<string> Log => VerboseEnabled ? _verboseLines.Enqueue : (Action<string>)null;

        private readonly ConcurrentQueue<string> _verboseLines = new ConcurrentQueue<string>();

        /// <summary>Writes the log lines that arrived so far (only this thread may write output).</summary>
        protected void FlushVerbose()
        {
            while (_verboseLines.TryDequeue(out var line)) WriteVerbose(line);
            OnPipelineThread();
        }

        /// <summary>Called on the pipeline thread while the command waits: work that must run there.</summary>
        protected virtual void OnPipelineThread() { }

        /// <summary>
        /// Runs an async client operation and waits for it here, writing its log lines as verbose output
        /// while it runs (cmdlet output may only be written from this thread).
        /// </summary>
        protected T Await<T>(Func<CancellationToken, Action<string>, Task<T>> operation)
        {
            var task = operation(Cancellation, Log);
            try
            {
                while (!task.Wait(TimeSpan.FromMilliseconds(100))) FlushVerbose();
            }
            catch (AggregateException)
            {
                // rethrown unwrapped below
            }
            finally
            {
                FlushVerbose();
            }
            if (task.IsCanceled && Cancellation.IsCancellationRequested) throw new PipelineStoppedException();
            return task.GetAwaiter().GetResult();
        }

        protected void Await(Func<CancellationToken, Action<string>, Task> operation) =>
            Await<bool>(async (cancel, log) => { await operation(cancel, log).ConfigureAwait(false); return true; });

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            _bulk?.Runner.Cancel();
        }
    }
}
