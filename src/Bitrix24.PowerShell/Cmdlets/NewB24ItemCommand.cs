using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Creates items of any CRM type with crm.item.add, one per call or per piped hashtable or CSV row.</summary>
    [Cmdlet(VerbsCommon.New, "B24Item", SupportsShouldProcess = true)]
    [OutputType(CrmEntity.ItemTypeName)]
    [OutputType(typeof(int))]
    public sealed class NewB24ItemCommand : B24NewEntityCmdlet<ItemFields>
    {
        private CrmSchema _type;

        protected override CrmEntity Entity => _type.Entity;
        protected override void ResolveTarget() => _type = ResolveItemType(GivenFieldParameters);
    }
}
