using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Deletes leads with crm.lead.delete (many go 50 per batch request). ShouldProcess is asked for every
    /// lead (ConfirmImpact High: it prompts unless -Confirm:$false or a lower $ConfirmPreference says not
    /// to); past <see cref="ManyLeads"/> leads in one run the cmdlet asks once more, which -Force skips.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "B24Lead", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24LeadCommand : B24ConnectedCmdlet
    {
        /// <summary>How many deletions one run makes before it asks whether to go on (unless -Force).</summary>
        public const int ManyLeads = 10;

        /// <summary>Lead ids, or lead objects (their ID property) from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>Skips the extra question asked before deleting more than ten leads in one run.
        /// It never overrides -WhatIf or -Confirm.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private LeadsClient _leads;
        private int _approved;
        private bool _declined;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _leads = new LeadsClient(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Removing Bitrix24 leads", "lead(s) deleted", null);
        }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                if (_declined || !ShouldProcess($"Lead {id}", "Delete")) continue;
                if (++_approved == ManyLeads + 1 && !Force &&
                    !ShouldContinue($"More than {ManyLeads} leads are being deleted in this run. Delete lead {id} and the rest?", "Delete many leads"))
                {
                    _declined = true;
                    WriteWarning($"Stopped before lead {id}: only the first {ManyLeads} leads approved are deleted.");
                    continue;
                }
                QueueBulk(_leads.DeleteCommand(id));
            }
        }

        protected override void EndProcessing() => CompleteBulk();
    }
}
