using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Creates companies with crm.company.add, one per call or per piped hashtable or CSV row.</summary>
    [Cmdlet(VerbsCommon.New, "B24Company", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.Company")]
    [OutputType(typeof(int))]
    public sealed class NewB24CompanyCommand : B24NewEntityCmdlet<CompanyFields>
    {
        protected override CrmEntity Entity => CrmEntity.Company;
    }
}
