using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the portal's CRM types (crm.type.list): smart processes with their entityTypeId, title and
    /// whether they have pipelines and stages. crm.type.list needs CRM admin rights.</summary>
    [Cmdlet(VerbsCommon.Get, "B24ItemType")]
    [OutputType(typeof(CrmItemType))]
    public sealed class GetB24ItemTypeCommand : B24ConnectedCmdlet
    {
        /// <summary>Titles to show; wildcards allowed. All by default.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[] Title { get; set; }

        /// <summary>Read the list from the portal again instead of the cached copy.</summary>
        [Parameter]
        [Alias("Force")]   // the name scripts may still use; -Refresh is PowerShell's word for this (Get-Module -Refresh)
        public SwitchParameter Refresh { get; set; }

        protected override void EndProcessing()
        {
            System.Collections.Generic.IReadOnlyList<CrmItemType> types;
            try
            {
                types = Await((cancel, log) => CrmSchema.GetItemTypesAsync(ActiveConnection.Client, cancel, log, refresh: Refresh));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
                return;
            }
            var patterns = (Title ?? new[] { "*" }).Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
            foreach (var type in types.Where(t => patterns.Any(p => p.IsMatch(t.Title))))
                WriteObject(type);
        }
    }
}
