using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Sets the companies linked to a contact (crm.contact.company.items.set): the list given replaces the old one.</summary>
    [Cmdlet(VerbsCommon.Set, "B24ContactCompany", SupportsShouldProcess = true)]
    [OutputType("Bitrix24.ContactCompany")]
    public sealed class SetB24ContactCompanyCommand : B24SetLinkCmdlet
    {
        /// <summary>The companies to link, in order; an empty list unlinks all.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyCollection]
        public int[] CompanyId { get; set; }

        /// <summary>The primary company (default: the first).</summary>
        [Parameter]
        public int PrimaryCompanyId { get; set; }

        protected override CrmEntity Entity => CrmEntity.Contact;
        protected override CrmEntity Other => CrmEntity.Company;
        protected override int[] LinkedIds => CompanyId;
        protected override int? Primary => ParameterSpecified(nameof(PrimaryCompanyId)) ? PrimaryCompanyId : (int?)null;
    }
}
