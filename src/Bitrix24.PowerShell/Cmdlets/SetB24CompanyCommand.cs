using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes companies with crm.company.update, sending only the fields given or edited.</summary>
    [Cmdlet(VerbsCommon.Set, "B24Company", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType("Bitrix24.Company")]
    public sealed class SetB24CompanyCommand : B24SetEntityCmdlet<CompanyFields>
    {
        protected override CrmEntity Entity => CrmEntity.Company;
    }
}
