using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads items of any CRM type (a smart process): by id (crm.item.get), or a filtered list
    /// (crm.item.list) streamed page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Item", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(CrmEntity.ItemTypeName)]
    public sealed class GetB24ItemCommand : B24GetEntityCmdlet, IDynamicParameters
    {
        private readonly ItemTypeParameters _typeParameters = new ItemTypeParameters();
        private CrmSchema _type;

        public object GetDynamicParameters() => _typeParameters;
        protected override CrmEntity Entity => _type.Entity;
        protected override void ResolveTarget() => _type = ResolveItemType(_typeParameters);
    }
}
