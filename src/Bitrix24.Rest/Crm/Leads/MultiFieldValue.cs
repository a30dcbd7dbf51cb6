using System;

namespace Bitrix24.Rest.Crm.Leads
{
    /// <summary>One phone, e-mail, web site, messenger or link of a lead, as crm.lead.get returns it.
    /// Property names are the API's so that objects bind and serialise as the docs describe.</summary>
    public sealed class MultiFieldValue
    {
        public int? ID { get; set; }
        public string VALUE_TYPE { get; set; }
        public string VALUE { get; set; }
        public string TYPE_ID { get; set; }

        public MultiFieldValue Clone() => (MultiFieldValue)MemberwiseClone();

        public override string ToString() =>
            string.IsNullOrEmpty(VALUE_TYPE) ? VALUE ?? "" : $"{VALUE} ({VALUE_TYPE})";

        internal bool SameAs(MultiFieldValue other) =>
            other != null && ID == other.ID &&
            string.Equals(VALUE ?? "", other.VALUE ?? "", StringComparison.Ordinal) &&
            string.Equals(VALUE_TYPE ?? "", other.VALUE_TYPE ?? "", StringComparison.OrdinalIgnoreCase);
    }
}
