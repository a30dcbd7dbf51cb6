using System;

namespace Bitrix24.Rest.Crm
{
    /// <summary>One phone, e-mail, web site, messenger or link of a lead, as crm.lead.get returns it.
    /// Property names are the API's so that objects bind and serialise as the docs describe.</summary>
    public sealed class MultiFieldValue
    {
        public int? ID { get; set; }
        public string VALUE_TYPE { get; set; }
        public string VALUE { get; set; }
        public string TYPE_ID { get; set; }

        public override string ToString() =>
            string.IsNullOrEmpty(VALUE_TYPE) ? VALUE ?? "" : $"{VALUE} ({VALUE_TYPE})";

        internal bool SameAs(MultiFieldValue other) =>
            other != null && ID == other.ID &&
            string.Equals(VALUE ?? "", other.VALUE ?? "", StringComparison.Ordinal) &&
            string.Equals(VALUE_TYPE ?? "", other.VALUE_TYPE ?? "", StringComparison.OrdinalIgnoreCase);
    }
}

namespace Bitrix24.Rest.Crm
{
    /// <summary>A lead's values of one multi-field (its PHONE, EMAIL …): a list of
    /// <see cref="MultiFieldValue"/> that reads as <c>555888 (WORK); +1 555 0108 (HOME)</c> where text is
    /// wanted (an Export-Csv cell, a string), and stays structured for scripts and ConvertTo-Json.</summary>
    public sealed class MultiFieldList : System.Collections.ObjectModel.Collection<MultiFieldValue>
    {
        public MultiFieldList() { }

        public MultiFieldList(System.Collections.Generic.IEnumerable<MultiFieldValue> values)
            : base(System.Linq.Enumerable.ToList(values)) { }

        public override string ToString() => string.Join("; ", this);
    }

    /// <summary>A list of record ids (CONTACT_IDS, COMPANY_IDS): as text "3; 4", which a CSV cell keeps and
    /// Set- reads back.</summary>
    public sealed class CrmIdList : System.Collections.Generic.List<int>
    {
        public CrmIdList(System.Collections.Generic.IEnumerable<int> ids) : base(ids) { }
        public override string ToString() => string.Join("; ", this);
    }
}
