using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The contact fields of crm.contact.update as parameters of Set-B24Contact and New-B24Contact,
    /// in the order of the documented example.</summary>
    public sealed class ContactFields : AddressFields, IHistoryEventFields
    {
        [Parameter, ArgumentCompleter(typeof(DirectoryCompleter))] public string Honorific { get; set; }
        [Parameter] public string Name { get; set; }
        [Parameter, Alias("SECOND_NAME")] public string SecondName { get; set; }
        [Parameter, Alias("LAST_NAME")] public string LastName { get; set; }
        /// <summary>PHOTO: the path of an image file (or a FileInfo), uploaded with the record.</summary>
        [Parameter] public object Photo { get; set; }
        [Parameter] public DateTime Birthdate { get; set; }
        [Parameter, Alias("TYPE_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string TypeId { get; set; }
        [Parameter, Alias("SOURCE_ID"), ArgumentCompleter(typeof(DirectoryCompleter))] public string SourceId { get; set; }
        [Parameter, Alias("SOURCE_DESCRIPTION")] public string SourceDescription { get; set; }
        [Parameter] public string Post { get; set; }
        [Parameter] public string Comments { get; set; }
        [Parameter] public SwitchParameter Opened { get; set; }
        [Parameter] public SwitchParameter Export { get; set; }
        [Parameter, Alias("ASSIGNED_BY_ID"), ArgumentCompleter(typeof(UserIdCompleter))] public UserReference AssignedById { get; set; }
        [Parameter, Alias("COMPANY_ID")] public int CompanyId { get; set; }
        [Parameter, Alias("COMPANY_IDS")] public int[] CompanyIds { get; set; }
        [Parameter, Alias("ORIGIN_VERSION")] public string OriginVersion { get; set; }
        /// <summary>params.REGISTER_HISTORY_EVENT: -RegisterHistoryEvent:$false leaves the change out of the history.</summary>
        [Parameter] public SwitchParameter RegisterHistoryEvent { get; set; }
    }
}
