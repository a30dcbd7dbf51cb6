using System.Collections.Generic;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm.Timeline;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Completes activities (crm.activity.update with COMPLETED = Y); one already completed is left as it is.</summary>
    [Cmdlet(VerbsLifecycle.Complete, "B24Activity", SupportsShouldProcess = true)]
    public sealed class CompleteB24ActivityCommand : B24ActivityChangeCmdlet
    {
        protected override string Activity => "Completing Bitrix24 activities";
        protected override string Outcome => "activity(ies) completed";

        protected override IEnumerable<BulkCommand> Change(JObject activity)
        {
            if ((string)activity["COMPLETED"] == "Y")
            {
                WriteVerbose($"{Describe(activity)} is already completed: nothing to send.");
                yield break;
            }
            if (ShouldProcess(Describe(activity), "Complete")) yield return Activities.CompleteCommand(activity);
        }
    }
}
