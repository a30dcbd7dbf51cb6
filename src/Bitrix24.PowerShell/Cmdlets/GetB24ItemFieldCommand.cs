using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the fields of a CRM type (crm.item.fields), custom ufCrm… fields included: ItemName is the name items show.</summary>
    [Cmdlet(VerbsCommon.Get, "B24ItemField")]
    [OutputType(typeof(CrmFieldInfo))]
    public sealed class GetB24ItemFieldCommand : B24GetFieldCmdlet
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
