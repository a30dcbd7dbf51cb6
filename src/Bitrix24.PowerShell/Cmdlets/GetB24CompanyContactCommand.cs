using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the contacts linked to companies (crm.company.contact.items.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24CompanyContact")]
    [OutputType("Bitrix24.CompanyContact")]
    public sealed class GetB24CompanyContactCommand : B24GetLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Company;
        protected override CrmEntity Other => CrmEntity.Contact;
    }
}
