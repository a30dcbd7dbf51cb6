using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes items of any CRM type with crm.item.delete; asks for every one (ConfirmImpact High).</summary>
    [Cmdlet(VerbsCommon.Remove, "B24Item", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24ItemCommand : B24RemoveEntityCmdlet
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
