using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Creates deals with crm.deal.add, one per call or per piped hashtable or CSV row.</summary>
    [Cmdlet(VerbsCommon.New, "B24Deal", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.Deal")]
    [OutputType(typeof(int))]
    public sealed class NewB24DealCommand : B24NewEntityCmdlet<DealFields>
    {
        protected override CrmEntity Entity => CrmEntity.Deal;
    }
}
