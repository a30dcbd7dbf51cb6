using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the portal's company fields (crm.company.fields), custom fields included.</summary>
    [Cmdlet(VerbsCommon.Get, "B24CompanyField")]
    [OutputType(typeof(CrmFieldInfo))]
    public sealed class GetB24CompanyFieldCommand : B24GetFieldCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Company;
    }
}
