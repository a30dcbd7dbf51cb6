using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the pipelines of a CRM type (crm.category.list) with their stages (crm.status.list
    /// DYNAMIC_&lt;type&gt;_STAGE_&lt;pipeline&gt;).</summary>
    [Cmdlet(VerbsCommon.Get, "B24ItemPipeline")]
    [OutputType("Bitrix24.Pipeline")]
    public sealed class GetB24ItemPipelineCommand : B24GetPipelineCmdlet
    {
        /// <summary>The CRM type (Get-B24ItemType lists them).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ItemTypeCompleter))]
        public int EntityTypeId { get; set; }

        /// <summary>The CRM type by its title, instead of -EntityTypeId.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ItemTypeCompleter))]
        public string Type { get; set; }

        private CrmSchema _type;
        protected override CrmEntity Entity => _type.Entity;

        protected override void ResolveTarget() =>
            _type = ResolveItemType(ItemTypeParameter(EntityTypeId, Type), Type);
    }
}
