using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Sets the contacts linked to a company (crm.company.contact.items.set): the list given replaces the old one.</summary>
    [Cmdlet(VerbsCommon.Set, "B24CompanyContact", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.CompanyContact")]
    public sealed class SetB24CompanyContactCommand : B24SetContactLinkCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Company;
    }
}
