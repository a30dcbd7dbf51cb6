using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the companies linked to contacts (crm.contact.company.items.get).</summary>
    [Cmdlet(VerbsCommon.Get, "B24ContactCompany")]
    [OutputType("Bitrix24.ContactCompany")]
    public sealed class GetB24ContactCompanyCommand : B24GetLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Contact;
        protected override CrmEntity Other => CrmEntity.Company;
    }
}
