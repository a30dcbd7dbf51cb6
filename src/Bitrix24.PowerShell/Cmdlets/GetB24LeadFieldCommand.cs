using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm.Leads;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the portal's lead fields (crm.lead.fields), custom fields included; cached per connection.</summary>
    [Cmdlet(VerbsCommon.Get, "B24LeadField")]
    [OutputType(typeof(LeadFieldInfo))]
    public sealed class GetB24LeadFieldCommand : B24ConnectedCmdlet
    {
        /// <summary>Field names to show; wildcards allowed (UF_*, *ADDRESS*).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(LeadFieldNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Read the fields from the portal again instead of the cached copy.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            LeadSchema schema;
            try
            {
                schema = Await((cancel, log) => LeadSchema.GetAsync(ActiveConnection.Client, cancel, log, refresh: Force));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
                return;
            }
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var field in schema.Fields.Where(f => patterns.Any(p => p.IsMatch(f.Name))))
                WriteObject(field);
        }
    }
}
