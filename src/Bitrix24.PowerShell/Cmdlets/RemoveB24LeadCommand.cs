using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes leads with crm.lead.delete (many go 50 per batch request). Asks first unless -Force.</summary>
    [Cmdlet(VerbsCommon.Remove, "B24Lead", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24LeadCommand : B24ConnectedCmdlet
    {
        /// <summary>Lead ids, or lead objects (their ID property) from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>Deletes without asking (-WhatIf still only shows).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private LeadsClient _leads;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _leads = new LeadsClient(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Removing Bitrix24 leads", null);
        }

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                var asks = !Force || MyInvocation.BoundParameters.ContainsKey("WhatIf");
                if (asks && !ShouldProcess($"Lead {id}", "Delete")) continue;
                QueueBulk(_leads.DeleteCommand(id));
            }
        }

        protected override void EndProcessing() => CompleteBulk();
    }
}
