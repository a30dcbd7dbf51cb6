using System;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>Get-B24LeadField, Get-B24DealField …: the portal's own description of an entity's fields
    /// (crm.&lt;entity&gt;.fields), custom fields included; cached per connection.</summary>
    public abstract class B24GetFieldCmdlet : B24ConnectedCmdlet
    {
        protected abstract CrmEntity Entity { get; }

        /// <summary>Field names to show; wildcards allowed (UF_*, *ADDRESS*).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FieldNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Read the fields from the portal again instead of the cached copy.</summary>
        [Parameter]
        [Alias("Force")]   // the name scripts may still use; -Refresh is PowerShell's word for this (Get-Module -Refresh)
        public SwitchParameter Refresh { get; set; }

        protected override void EndProcessing()
        {
            CrmSchema schema;
            try
            {
                schema = Await((cancel, log) => CrmSchema.GetAsync(ActiveConnection.Client, Entity, cancel, log, refresh: Refresh));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
                return;
            }
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var field in schema.Fields.Where(f => patterns.Any(p => p.IsMatch(f.Name) || f.ItemName != null && p.IsMatch(f.ItemName))))
                WriteObject(field);
        }
    }
}
