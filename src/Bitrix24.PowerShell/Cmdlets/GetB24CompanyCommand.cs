using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Reads companies: by id (crm.company.get), or a filtered list (crm.company.list) streamed page by page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24Company", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType("Bitrix24.Company")]
    public sealed class GetB24CompanyCommand : B24GetEntityCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Company;
    }
}
