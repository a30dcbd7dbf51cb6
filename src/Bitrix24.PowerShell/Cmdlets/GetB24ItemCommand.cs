using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads items of any CRM type (a smart process): by id (crm.item.get), or a filtered list
    /// (crm.item.list) streamed page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Item", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(CrmEntity.ItemTypeName)]
    public sealed class GetB24ItemCommand : B24GetEntityCmdlet
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
