using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The lead fields of crm.lead.update as parameters of Set-B24Lead and New-B24Lead: PascalCase
    /// names with the API name as alias.</summary>
    public sealed class LeadFields : AddressFields
    {
        [Parameter] public string Title { get; set; }
        [Parameter, ArgumentCompleter(typeof(DirectoryCompleter))] public string Honorific { get; set; }
        [Parameter] public string Name { get; set; }
        [Parameter, Alias("SECOND_NAME")] public string SecondName { get; set; }
        [Parameter, Alias("LAST_NAME")] public string LastName { get; set; }
        [Parameter] public DateTime Birthdate { get; set; }
        [Parameter] public string Post { get; set; }
        [Parameter] public string Comments { get; set; }
        [Parameter, Alias("STATUS_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string StatusId { get; set; }
        [Parameter, Alias("STATUS_DESCRIPTION")] public string StatusDescription { get; set; }
        [Parameter, Alias("SOURCE_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string SourceId { get; set; }
        [Parameter, Alias("SOURCE_DESCRIPTION")] public string SourceDescription { get; set; }
        [Parameter] public SwitchParameter Opened { get; set; }
        [Parameter, Alias("IS_MANUAL_OPPORTUNITY")] public SwitchParameter IsManualOpportunity { get; set; }
        // Declared in the order of the documented example, so its request goes out byte for byte as shown.
        [Parameter, Alias("ASSIGNED_BY_ID"), ArgumentCompleter(typeof(UserIdCompleter))] public UserReference AssignedById { get; set; }
        [Parameter, Alias("CURRENCY_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string CurrencyId { get; set; }
        [Parameter] public decimal Opportunity { get; set; }
        [Parameter, Alias("COMPANY_ID")] public int CompanyId { get; set; }
        [Parameter, Alias("COMPANY_TITLE")] public string CompanyTitle { get; set; }
        [Parameter, Alias("CONTACT_ID")] public int ContactId { get; set; }
        [Parameter, Alias("CONTACT_IDS")] public int[] ContactIds { get; set; }
    }
}
