using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists a crm.status.list directory: lead stages (STATUS), sources (SOURCE), salutations
    /// (HONORIFIC), currencies (CURRENCY), deal stages (DEAL_STAGE, DEAL_STAGE_1 …), deal, contact and
    /// company types, industries, company sizes (EMPLOYEES), or any other ENTITY_ID of the portal.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Status")]
    [OutputType(typeof(DirectoryEntry))]
    public sealed class GetB24StatusCommand : B24ConnectedCmdlet
    {
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(EntityIdCompleter))]
        public string EntityId { get; set; } = "STATUS";

        /// <summary>Read from the portal again instead of the cached copy.</summary>
        [Parameter]
        [Alias("Force")]   // the name scripts may still use; -Refresh is PowerShell's word for this (Get-Module -Refresh)
        public SwitchParameter Refresh { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                // crm.status.list without a filter answers every directory, and every entity's schema holds them all.
                var schema = Await((cancel, log) => CrmSchema.GetDirectoriesAsync(ActiveConnection.Client, cancel, log, refresh: Refresh));
                var entries = schema.Directory(EntityId).ToList();
                if (entries.Count == 0)
                {
                    // Not in the cached copy: ask the portal for it directly.
                    var parameters = new JObject { ["filter"] = new JObject { ["ENTITY_ID"] = EntityId }, ["order"] = new JObject { ["SORT"] = "ASC" } };
                    var response = Await((cancel, log) => ActiveConnection.Client.CallAsync("crm.status.list", parameters, cancel, log));
                    WriteObject(PSValue.FromJson(response.Result), enumerateCollection: true);
                    return;
                }
                foreach (var entry in entries) WriteObject(entry);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, EntityId);
            }
        }
    }
}
