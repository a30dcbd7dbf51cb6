using System.Management.Automation;
using Bitrix24.PowerShell.Completers;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The company fields of crm.company.update as parameters of Set-B24Company and New-B24Company,
    /// the documented example's first.</summary>
    public sealed class CompanyFields : MultiFields, IHistoryEventFields
    {
        [Parameter, Alias("CURRENCY_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string CurrencyId { get; set; }
        [Parameter] public decimal Revenue { get; set; }
        [Parameter, ArgumentCompleter(typeof(DirectoryCompleter))] public string Employees { get; set; }
        [Parameter] public string Title { get; set; }
        [Parameter, Alias("COMPANY_TYPE"), ArgumentCompleter(typeof(DirectoryCompleter))] public string CompanyType { get; set; }
        /// <summary>LOGO: the path of an image file (or a FileInfo), uploaded with the record.</summary>
        [Parameter] public object Logo { get; set; }
        [Parameter, ArgumentCompleter(typeof(DirectoryCompleter))] public string Industry { get; set; }
        [Parameter] public SwitchParameter Opened { get; set; }
        /// <summary>IS_MY_COMPANY: the company is one of the portal's own (crm-company-fields.md).</summary>
        [Parameter, Alias("IS_MY_COMPANY")] public SwitchParameter IsMyCompany { get; set; }
        [Parameter] public string Comments { get; set; }
        [Parameter, Alias("ASSIGNED_BY_ID"), ArgumentCompleter(typeof(UserIdCompleter))] public UserReference AssignedById { get; set; }
        /// <summary>The company's contacts (CONTACT_ID, a multiple field).</summary>
        [Parameter, Alias("CONTACT_ID")] public int[] ContactId { get; set; }
        [Parameter, Alias("ORIGIN_VERSION")] public string OriginVersion { get; set; }
        /// <summary>params.REGISTER_HISTORY_EVENT: -RegisterHistoryEvent:$false leaves the change out of the history.</summary>
        [Parameter] public SwitchParameter RegisterHistoryEvent { get; set; }
    }
}
