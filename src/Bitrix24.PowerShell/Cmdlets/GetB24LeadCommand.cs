using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads leads: by id (crm.lead.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24Lead", DefaultParameterSetName = IdSet)]
    [OutputType(LeadObjects.TypeName)]
    public sealed class GetB24LeadCommand : B24ConnectedCmdlet
    {
        private const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        protected override void ProcessRecord()
        {
            var leads = new LeadsClient(ActiveConnection.Client);
            foreach (var id in Id)
            {
                try
                {
                    WriteObject(LeadObjects.Create(Await((cancel, log) => leads.GetAsync(id, cancel, log))));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, id);
                }
            }
        }
    }
}
