using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the fields of a CRM type (crm.item.fields), custom ufCrm… fields included: ItemName is the name items show.</summary>
    [Cmdlet(VerbsCommon.Get, "B24ItemField")]
    [OutputType(typeof(CrmFieldInfo))]
    public sealed class GetB24ItemFieldCommand : B24GetFieldCmdlet, IDynamicParameters
    {
        private readonly ItemTypeParameters _typeParameters = new ItemTypeParameters();
        private CrmSchema _type;

        public object GetDynamicParameters() => _typeParameters;
        protected override CrmEntity Entity => _type.Entity;
        protected override void ResolveTarget() => _type = ResolveItemType(_typeParameters);
    }
}
