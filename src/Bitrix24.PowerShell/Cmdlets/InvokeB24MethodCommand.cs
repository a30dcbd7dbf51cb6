using System.Collections;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Calls any REST method and writes its <c>result</c>: the escape hatch for what has no cmdlet.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "B24Method", SupportsShouldProcess = true)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeB24MethodCommand : B24ConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidatePattern(@"^[A-Za-z0-9_.]+$")]
        public string Method { get; set; }

        [Parameter(Position = 1)]
        public IDictionary Parameters { get; set; }

        /// <summary>Write the whole envelope (result, total, next, time) instead of the result.</summary>
        [Parameter]
        public SwitchParameter Raw { get; set; }

        protected override void ProcessRecord()
        {
            var parameters = Parameters == null ? new JObject() : (JObject)PSValue.ToJson(Parameters);
            if (!ShouldProcess(ActiveConnection.Portal, "Call " + Method)) return;
            try
            {
                var response = Await((cancel, log) => ActiveConnection.Client.CallAsync(Method, parameters, cancel, log));
                if (Raw)
                {
                    var envelope = new JObject { ["result"] = response.Result, ["total"] = response.Total, ["next"] = response.Next, ["time"] = response.Time };
                    WriteObject(PSValue.FromJson(envelope));
                }
                else
                {
                    // Lists come out one item at a time, as Invoke-RestMethod does.
                    WriteObject(PSValue.FromJson(response.Result), enumerateCollection: true);
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (System.Exception ex)
            {
                WriteB24Error(ex, Method);
            }
        }
    }
}
