using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes items of any CRM type with crm.item.delete; asks for every one (ConfirmImpact High).</summary>
    [Cmdlet(VerbsCommon.Remove, "B24Item", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24ItemCommand : B24RemoveEntityCmdlet, IDynamicParameters
    {
        private readonly ItemTypeParameters _typeParameters = new ItemTypeParameters();
        private CrmSchema _type;

        public object GetDynamicParameters() => _typeParameters;
        protected override CrmEntity Entity => _type.Entity;
        protected override void ResolveTarget() => _type = ResolveItemType(_typeParameters);
    }
}
