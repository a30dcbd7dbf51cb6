using System.Management.Automation;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>The fields every CRM entity has for its source and advertising campaign. The entities' field
    /// classes derive from these so each parameter is declared once; PowerShell binds inherited parameters
    /// as its own.</summary>
    public abstract class SourceFields
    {
        [Parameter, Alias("ORIGINATOR_ID")] public string OriginatorId { get; set; }
        [Parameter, Alias("ORIGIN_ID")] public string OriginId { get; set; }
        [Parameter, Alias("UTM_SOURCE")] public string UtmSource { get; set; }
        [Parameter, Alias("UTM_MEDIUM")] public string UtmMedium { get; set; }
        [Parameter, Alias("UTM_CAMPAIGN")] public string UtmCampaign { get; set; }
        [Parameter, Alias("UTM_CONTENT")] public string UtmContent { get; set; }
        [Parameter, Alias("UTM_TERM")] public string UtmTerm { get; set; }
    }

    /// <summary>The update methods of deals, contacts and companies take params.REGISTER_HISTORY_EVENT.</summary>
    public interface IHistoryEventFields
    {
        /// <summary>params.REGISTER_HISTORY_EVENT: -RegisterHistoryEvent:$false leaves the change out of the history.</summary>
        SwitchParameter RegisterHistoryEvent { get; }
    }

    /// <summary>The multi-fields of leads, contacts and companies.</summary>
    public abstract class MultiFields : SourceFields
    {
        /// <summary>Phones: strings (new WORK numbers) or hashtables with ID, VALUE, VALUE_TYPE, DELETE.</summary>
        [Parameter] public object[] Phone { get; set; }
        [Parameter] public object[] Email { get; set; }
        [Parameter] public object[] Web { get; set; }
        [Parameter] public object[] Im { get; set; }
        [Parameter] public object[] Link { get; set; }
    }

    /// <summary>The address of leads and contacts, sent as a whole set (a partial change is completed).</summary>
    public abstract class AddressFields : MultiFields
    {
        [Parameter] public string Address { get; set; }
        [Parameter, Alias("ADDRESS_2")] public string Address2 { get; set; }
        [Parameter, Alias("ADDRESS_CITY")] public string AddressCity { get; set; }
        [Parameter, Alias("ADDRESS_POSTAL_CODE")] public string AddressPostalCode { get; set; }
        [Parameter, Alias("ADDRESS_REGION")] public string AddressRegion { get; set; }
        [Parameter, Alias("ADDRESS_PROVINCE")] public string AddressProvince { get; set; }
        [Parameter, Alias("ADDRESS_COUNTRY")] public string AddressCountry { get; set; }
        [Parameter, Alias("ADDRESS_COUNTRY_CODE")] public string AddressCountryCode { get; set; }
    }
}
