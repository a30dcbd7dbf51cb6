using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes items of any CRM type with crm.item.update, sending only the fields given or edited.</summary>
    [Cmdlet(VerbsCommon.Set, "B24Item", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType(CrmEntity.ItemTypeName)]
    public sealed class SetB24ItemCommand : B24SetEntityCmdlet<ItemFields>
    {
        private CrmSchema _type;

        protected override CrmEntity Entity => _type.Entity;
        protected override void ResolveTarget() => _type = ResolveItemType(GivenFieldParameters);
    }
}
