//! The official CII syntax assertions (CII-SR-*, CII-DT-*) as data: per context, each rule id
//! with its test. Most are "X should not be present" (`Absent`), "maximum once"
//! (`AtMostOnce`) or "exactly once" (`ExactlyOnce`); the few with value tests name a
//! predicate from [`super::predicates`].
//!
//! CII-DT-010, CII-DT-011 and CII-DT-012 are missing on purpose: their official context (the
//! document's `TypeCode`) is shadowed by `//ram:TypeCode`, so the official validation never
//! runs them.

use super::context::Context;
use super::plan::Assert;
use super::plan::Test::*;
use super::predicates::*;
use super::xpath::{
    children, has_type_code, is_format_102, is_ram, normalized_type_code_is, string_value,
};

/// The assertions of one context, in the official order.
pub(super) fn asserts(context: Context) -> &'static [Assert] {
    match context {
        Context::PaymentMeans => PAYMENT_MEANS,
        Context::DocumentContext => DOCUMENT_CONTEXT,
        Context::ExchangedDocument => EXCHANGED_DOCUMENT,
        Context::DocumentNote => DOCUMENT_NOTE,
        Context::Line => LINE,
        Context::LineDocument => LINE_DOCUMENT,
        Context::Product => PRODUCT,
        Context::ProductCharacteristic => PRODUCT_CHARACTERISTIC,
        Context::LineAgreement => LINE_AGREEMENT,
        Context::AllowanceCharge => ALLOWANCE_CHARGE,
        Context::PriceAllowanceCharge => PRICE_ALLOWANCE_CHARGE,
        Context::LineDelivery => LINE_DELIVERY,
        Context::LineSettlement => LINE_SETTLEMENT,
        Context::HeaderAgreement => HEADER_AGREEMENT,
        Context::HeaderDelivery => HEADER_DELIVERY,
        Context::HeaderSettlement => HEADER_SETTLEMENT,
        Context::MonetarySummation => MONETARY_SUMMATION,
        Context::Invoice => INVOICE,
        Context::ContextParameter => CONTEXT_PARAMETER,
        Context::KeyIdentifier => KEY_IDENTIFIER,
        Context::Identifier => IDENTIFIER,
        Context::Code => CODE,
        Context::LineTaxCategory => LINE_TAX_CATEGORY,
        Context::ReferencedDocument => REFERENCED_DOCUMENT,
        Context::Amount => AMOUNT,
        Context::Quantity => QUANTITY,
        Context::Tax => TAX,
        Context::BillingPeriod => BILLING_PERIOD,
        Context::PostalAddress => POSTAL_ADDRESS,
        Context::DateString => DATE_STRING,
    }
}

const PAYMENT_MEANS: &[Assert] = &[Assert(
    "CII-SR-464",
    Absent("PayerSpecifiedDebtorFinancialInstitution"),
)];

const DOCUMENT_CONTEXT: &[Assert] = &[
    Assert("CII-SR-001", Absent("SpecifiedTransactionID")),
    Assert("CII-SR-002", Absent("TestIndicator")),
    Assert(
        "CII-SR-003",
        AtMostOnce("BusinessProcessSpecifiedDocumentContextParameter"),
    ),
    Assert("CII-SR-006", Absent("BIMSpecifiedDocumentContextParameter")),
    Assert(
        "CII-SR-007",
        Absent("ScenarioSpecifiedDocumentContextParameter"),
    ),
    Assert(
        "CII-SR-008",
        Absent("ApplicationSpecifiedDocumentContextParameter"),
    ),
    Assert(
        "CII-SR-009",
        ExactlyOnce("GuidelineSpecifiedDocumentContextParameter"),
    ),
    Assert(
        "CII-SR-010",
        ExactlyOnce("GuidelineSpecifiedDocumentContextParameter/ID"),
    ),
    Assert(
        "CII-SR-011",
        Absent("SubsetSpecifiedDocumentContextParameter"),
    ),
    Assert(
        "CII-SR-012",
        Absent("MessageStandardSpecifiedDocumentContextParameter"),
    ),
];

const EXCHANGED_DOCUMENT: &[Assert] = &[
    Assert("CII-SR-013", Absent("Name")),
    Assert("CII-SR-014", ExactlyOnce("TypeCode")),
    Assert("CII-SR-015", Absent("IssueDateTime/udt:DateTime")),
    Assert("CII-SR-016", Absent("CopyIndicator")),
    Assert("CII-SR-017", Absent("Purpose")),
    Assert("CII-SR-018", Absent("ControlRequirementIndicator")),
    Assert("CII-SR-019", Absent("LanguageID")),
    Assert("CII-SR-020", Absent("PurposeCode")),
    Assert("CII-SR-021", Absent("RevisionDateTime")),
    Assert("CII-SR-022", Absent("VersionID")),
    Assert("CII-SR-023", Absent("GlobalID")),
    Assert("CII-SR-024", Absent("RevisionID")),
    Assert("CII-SR-025", Absent("PreviousRevisionID")),
    Assert("CII-SR-026", Absent("CategoryCode")),
    Assert("CII-SR-027", Absent("IncludedNote/Subject")),
    Assert("CII-SR-028", Absent("IncludedNote/ContentCode")),
    Assert("CII-SR-032", Absent("IncludedNote/ID")),
    Assert("CII-SR-033", Absent("EffectiveSpecifiedPeriod")),
    Assert("CII-SR-034", Absent("IssuerTradeParty")),
];

const DOCUMENT_NOTE: &[Assert] = &[Assert("CII-SR-030", AtMostOnce("Content"))];

const LINE: &[Assert] = &[
    Assert("CII-SR-035", Absent("DescriptionCode")),
    Assert("CII-SR-036", Absent("ParentLineID")),
    Assert("CII-SR-037", Absent("LineStatusCode")),
    Assert("CII-SR-038", Absent("LineStatusReasonCode")),
    Assert("CII-SR-221", Absent("IncludedSubordinateTradeLineItem")),
];

const LINE_DOCUMENT: &[Assert] = &[
    Assert("CII-SR-039", AtMostOnce("IncludedNote")),
    Assert("CII-SR-040", AtMostOnce("IncludedNote/Content")),
    Assert("CII-SR-041", Absent("IncludedNote/SubjectCode")),
    Assert("CII-SR-042", Absent("IncludedNote/ID")),
    Assert("CII-SR-043", Absent("IncludedNote/Subject")),
    Assert("CII-SR-044", Absent("IncludedNote/ContentCode")),
];

const PRODUCT: &[Assert] = &[
    Assert("CII-SR-045", Absent("ID")),
    Assert("CII-SR-046", Implies("GlobalID", "GlobalID/@schemeID")),
    Assert("CII-SR-048", Absent("ManufacturerAssignedID")),
    Assert("CII-SR-049", Absent("TradeName")),
    Assert("CII-SR-050", Absent("TypeCode")),
    Assert("CII-SR-051", Absent("NetWeightMeasure")),
    Assert("CII-SR-052", Absent("GrossWeightMeasure")),
    Assert("CII-SR-053", Absent("ProductGroupID")),
    Assert("CII-SR-054", Absent("EndItemTypeCode")),
    Assert("CII-SR-055", Absent("EndItemName")),
    Assert("CII-SR-056", Absent("AreaDensityMeasure")),
    Assert("CII-SR-057", Absent("UseDescription")),
    Assert("CII-SR-058", Absent("BrandName")),
    Assert("CII-SR-059", Absent("SubBrandName")),
    Assert("CII-SR-060", Absent("DrainedNetWeightMeasure")),
    Assert("CII-SR-061", Absent("VariableMeasureIndicator")),
    Assert("CII-SR-062", Absent("ColourCode")),
    Assert("CII-SR-063", Absent("ColourDescription")),
    Assert("CII-SR-064", Absent("Designation")),
    Assert(
        "CII-SR-065",
        Absent("FormattedCancellationAnnouncedLaunchDateTime"),
    ),
    Assert(
        "CII-SR-066",
        Absent("FormattedLatestProductDataChangeDateTime"),
    ),
    Assert("CII-SR-067", Absent("ApplicableProductCharacteristic/ID")),
    Assert(
        "CII-SR-068",
        Absent("ApplicableProductCharacteristic/TypeCode"),
    ),
    Assert(
        "CII-SR-070",
        Absent("ApplicableProductCharacteristic/ValueMeasure"),
    ),
    Assert(
        "CII-SR-071",
        Absent("ApplicableProductCharacteristic/MeasurementMethodCode"),
    ),
    Assert(
        "CII-SR-073",
        Absent("ApplicableProductCharacteristic/ValueCode"),
    ),
    Assert(
        "CII-SR-074",
        Absent("ApplicableProductCharacteristic/ValueDateTime"),
    ),
    Assert(
        "CII-SR-075",
        Absent("ApplicableProductCharacteristic/ValueIndicator"),
    ),
    Assert(
        "CII-SR-076",
        Absent("ApplicableProductCharacteristic/ContentTypeCode"),
    ),
    Assert(
        "CII-SR-077",
        Absent("ApplicableProductCharacteristic/ValueSpecifiedBinaryFile"),
    ),
    Assert(
        "CII-SR-078",
        Absent("ApplicableProductCharacteristic/ApplicableProductCharacteristicCondition"),
    ),
    Assert(
        "CII-SR-079",
        Absent("ApplicableProductCharacteristic/ApplicableReferencedStandard"),
    ),
    Assert(
        "CII-SR-080",
        Absent("ApplicableMaterialGoodsCharacteristic"),
    ),
    Assert(
        "CII-SR-081",
        Absent("DesignatedProductClassification/SystemID"),
    ),
    Assert(
        "CII-SR-082",
        Absent("DesignatedProductClassification/SystemName"),
    ),
    Assert(
        "CII-SR-083",
        Absent("DesignatedProductClassification/ClassName"),
    ),
    Assert(
        "CII-SR-084",
        Absent("DesignatedProductClassification/SubClassCode"),
    ),
    Assert(
        "CII-SR-085",
        Absent("DesignatedProductClassification/ClassProductCharacteristic"),
    ),
    Assert(
        "CII-SR-086",
        Absent("DesignatedProductClassification/ApplicableReferencedStandard"),
    ),
    Assert("CII-SR-087", Absent("IndividualTradeProductInstance")),
    Assert(
        "CII-SR-088",
        Absent("CertificationEvidenceReferenceReferencedDocument"),
    ),
    Assert(
        "CII-SR-089",
        Absent("InspectionReferenceReferencedDocument"),
    ),
    Assert(
        "CII-SR-090",
        ImpliesOnce("OriginTradeCountry", "OriginTradeCountry/ID"),
    ),
    Assert("CII-SR-091", Absent("OriginTradeCountry/Name")),
    Assert(
        "CII-SR-092",
        Absent("OriginTradeCountry/SubordinateTradeCountrySubDivision"),
    ),
    Assert("CII-SR-093", Absent("LinearSpatialDimension")),
    Assert("CII-SR-094", Absent("MinimumLinearSpatialDimension")),
    Assert("CII-SR-095", Absent("MaximumLinearSpatialDimension")),
    Assert("CII-SR-096", Absent("ManufacturerTradeParty")),
    Assert("CII-SR-097", Absent("PresentationSpecifiedBinaryFile")),
    Assert("CII-SR-098", Absent("MSDSReferenceReferencedDocument")),
    Assert(
        "CII-SR-099",
        Absent("AdditionalReferenceReferencedDocument"),
    ),
    Assert("CII-SR-100", Absent("LegalRightsOwnerTradeParty")),
    Assert("CII-SR-101", Absent("BrandOwnerTradeParty")),
    Assert("CII-SR-102", Absent("IncludedReferencedProduct")),
    Assert("CII-SR-103", Absent("InformationNote")),
];

const PRODUCT_CHARACTERISTIC: &[Assert] = &[
    Assert("CII-SR-069", ExactlyOnce("Description")),
    Assert("CII-SR-072", ExactlyOnce("Value")),
];

const LINE_AGREEMENT: &[Assert] = &[
    Assert("CII-SR-104", Absent("BuyerReference")),
    Assert("CII-SR-105", Absent("BuyerRequisitionerTradeParty")),
    Assert("CII-SR-106", Absent("ApplicableTradeDeliveryTerms")),
    Assert("CII-SR-107", Absent("SellerOrderReferencedDocument")),
    Assert(
        "CII-SR-108",
        Absent("BuyerOrderReferencedDocument/IssuerAssignedID"),
    ),
    Assert("CII-SR-109", Absent("QuotationReferencedDocument")),
    Assert("CII-SR-110", Absent("ContractReferencedDocument")),
    Assert("CII-SR-111", Absent("DemandForecastReferencedDocument")),
    Assert("CII-SR-112", Absent("PromotionalDealReferencedDocument")),
    Assert("CII-SR-113", Absent("AdditionalReferencedDocument")),
    Assert("CII-SR-114", Absent("GrossPriceProductTradePrice/TypeCode")),
    Assert(
        "CII-SR-115",
        Absent("GrossPriceProductTradePrice/MinimumQuantity"),
    ),
    Assert(
        "CII-SR-116",
        Absent("GrossPriceProductTradePrice/MaximumQuantity"),
    ),
    Assert(
        "CII-SR-117",
        Absent("GrossPriceProductTradePrice/ChangeReason"),
    ),
    Assert(
        "CII-SR-118",
        Absent("GrossPriceProductTradePrice/OrderUnitConversionFactorNumeric"),
    ),
    Assert(
        "CII-SR-439",
        ExactlyOnce("NetPriceProductTradePrice/ChargeAmount"),
    ),
    Assert("CII-SR-119", Holds(price_allowances_only)),
    Assert(
        "CII-SR-120",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ID"),
    ),
    Assert(
        "CII-SR-121",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/SequenceNumeric"),
    ),
    Assert(
        "CII-SR-122",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/CalculationPercent"),
    ),
    Assert(
        "CII-SR-123",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/BasisAmount"),
    ),
    Assert(
        "CII-SR-124",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/BasisQuantity"),
    ),
    Assert(
        "CII-SR-125",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/PrepaidIndicator"),
    ),
    Assert(
        "CII-SR-126",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/UnitBasisAmount"),
    ),
    Assert(
        "CII-SR-127",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ReasonCode"),
    ),
    Assert(
        "CII-SR-128",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/Reason"),
    ),
    Assert(
        "CII-SR-129",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/TypeCode"),
    ),
    Assert(
        "CII-SR-130",
        Absent("GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/CategoryTradeTax"),
    ),
    Assert(
        "CII-SR-131",
        Absent(
            "GrossPriceProductTradePrice/AppliedTradeAllowanceCharge/ActualTradeCurrencyExchange",
        ),
    ),
    Assert(
        "CII-SR-445",
        Absent("GrossPriceProductTradePrice/IncludedTradeTax"),
    ),
    Assert(
        "CII-SR-132",
        Absent("GrossPriceProductTradePrice/ValiditySpecifiedPeriod"),
    ),
    Assert(
        "CII-SR-133",
        Absent("GrossPriceProductTradePrice/DeliveryTradeLocation"),
    ),
    Assert(
        "CII-SR-134",
        Absent("GrossPriceProductTradePrice/TradeComparisonReferencePrice"),
    ),
    Assert(
        "CII-SR-135",
        Absent("GrossPriceProductTradePrice/AssociatedReferencedDocument"),
    ),
    Assert("CII-SR-136", Absent("NetPriceProductTradePrice/TypeCode")),
    Assert(
        "CII-SR-138",
        Absent("NetPriceProductTradePrice/MinimumQuantity"),
    ),
    Assert(
        "CII-SR-139",
        Absent("NetPriceProductTradePrice/MaximumQuantity"),
    ),
    Assert(
        "CII-SR-140",
        Absent("NetPriceProductTradePrice/ChangeReason"),
    ),
    Assert(
        "CII-SR-141",
        Absent("NetPriceProductTradePrice/OrderUnitConversionFactorNumeric"),
    ),
    Assert(
        "CII-SR-142",
        Absent("NetPriceProductTradePrice/AppliedTradeAllowanceCharge"),
    ),
    Assert(
        "CII-SR-446",
        Absent("NetPriceProductTradePrice/IncludedTradeTax"),
    ),
    Assert(
        "CII-SR-143",
        Absent("NetPriceProductTradePrice/ValiditySpecifiedPeriod"),
    ),
    Assert(
        "CII-SR-144",
        Absent("NetPriceProductTradePrice/DeliveryTradeLocation"),
    ),
    Assert(
        "CII-SR-145",
        Absent("NetPriceProductTradePrice/TradeComparisonReferencePrice"),
    ),
    Assert(
        "CII-SR-146",
        Absent("NetPriceProductTradePrice/AssociatedReferencedDocument"),
    ),
    Assert(
        "CII-SR-441",
        AtMostOnce("NetPriceProductTradePrice/ChargeAmount"),
    ),
    Assert("CII-SR-147", Absent("RequisitionerReferencedDocument")),
    Assert("CII-SR-148", Absent("ItemSellerTradeParty")),
    Assert("CII-SR-149", Absent("ItemBuyerTradeParty")),
    Assert("CII-SR-150", Absent("IncludedSpecifiedMarketplace")),
    Assert(
        "CII-SR-447",
        Absent("UltimateCustomerOrderReferencedDocument"),
    ),
];

const ALLOWANCE_CHARGE: &[Assert] = &[
    Assert("CII-SR-463", Present("ChargeIndicator")),
    Assert("CII-SR-471", AtMostOnce("RateApplicablePercent")),
    Assert("CII-SR-472", AtMostOnce("CategoryTradeTax")),
    Assert("CII-SR-473", AtMostOnce("ActualAmount")),
];

const PRICE_ALLOWANCE_CHARGE: &[Assert] = &[Assert("CII-SR-440", AtMostOnce("ActualAmount"))];

const LINE_DELIVERY: &[Assert] = &[
    Assert("CII-SR-151", Absent("RequestedQuantity")),
    Assert("CII-SR-152", Absent("ReceivedQuantity")),
    Assert("CII-SR-153", Absent("ChargeFreeQuantity")),
    Assert("CII-SR-154", Absent("PackageQuantity")),
    Assert("CII-SR-155", Absent("ProductUnitQuantity")),
    Assert("CII-SR-156", Absent("PerPackageUnitQuantity")),
    Assert("CII-SR-157", Absent("NetWeightMeasure")),
    Assert("CII-SR-158", Absent("GrossWeightMeasure")),
    Assert("CII-SR-159", Absent("TheoreticalWeightMeasure")),
    Assert("CII-SR-160", Absent("DespatchedQuantity")),
    Assert("CII-SR-161", Absent("SpecifiedDeliveryAdjustment")),
    Assert("CII-SR-162", Absent("IncludedSupplyChainPackaging")),
    Assert("CII-SR-163", Absent("RelatedSupplyChainConsignment")),
    Assert("CII-SR-164", Absent("ShipToTradeParty")),
    Assert("CII-SR-165", Absent("UltimateShipToTradeParty")),
    Assert("CII-SR-166", Absent("ShipFromTradeParty")),
    Assert("CII-SR-167", Absent("ActualDespatchSupplyChainEvent")),
    Assert("CII-SR-168", Absent("ActualPickUpSupplyChainEvent")),
    Assert("CII-SR-169", Absent("RequestedDeliverySupplyChainEvent")),
    Assert("CII-SR-170", Absent("ActualDeliverySupplyChainEvent")),
    Assert("CII-SR-171", Absent("ActualReceiptSupplyChainEvent")),
    Assert("CII-SR-172", Absent("AdditionalReferencedDocument")),
    Assert("CII-SR-173", Absent("DespatchAdviceReferencedDocument")),
    Assert("CII-SR-174", Absent("ReceivingAdviceReferencedDocument")),
    Assert("CII-SR-175", Absent("DeliveryNoteReferencedDocument")),
    Assert("CII-SR-176", Absent("ConsumptionReportReferencedDocument")),
    Assert("CII-SR-177", Absent("PackingListReferencedDocument")),
];

const LINE_SETTLEMENT: &[Assert] = &[
    Assert("CII-SR-178", Absent("PaymentReference")),
    Assert("CII-SR-179", Absent("InvoiceIssuerReference")),
    Assert("CII-SR-180", Absent("TotalAdjustmentAmount")),
    Assert("CII-SR-181", Absent("DiscountIndicator")),
    Assert("CII-SR-182", Absent("ApplicableTradeTax/CalculatedAmount")),
    Assert(
        "CII-SR-183",
        Absent("SpecifiedTradeAllowanceCharge/ChargeIndicator/udt:IndicatorString"),
    ),
    Assert("CII-SR-184", Absent("SpecifiedTradeAllowanceCharge/ID")),
    Assert(
        "CII-SR-185",
        Absent("SpecifiedTradeAllowanceCharge/SequenceNumeric"),
    ),
    Assert(
        "CII-SR-186",
        Absent("SpecifiedTradeAllowanceCharge/CalculationPercent/@format"),
    ),
    Assert(
        "CII-SR-187",
        Absent("SpecifiedTradeAllowanceCharge/BasisQuantity"),
    ),
    Assert(
        "CII-SR-188",
        Absent("SpecifiedTradeAllowanceCharge/PrepaidIndicator"),
    ),
    Assert(
        "CII-SR-189",
        Absent("SpecifiedTradeAllowanceCharge/UnitBasisAmount"),
    ),
    Assert(
        "CII-SR-190",
        Absent("SpecifiedTradeAllowanceCharge/TypeCode"),
    ),
    Assert(
        "CII-SR-191",
        Absent("SpecifiedTradeAllowanceCharge/CategoryTradeTax"),
    ),
    Assert(
        "CII-SR-192",
        Absent("SpecifiedTradeAllowanceCharge/ActualTradeCurrencyExchange"),
    ),
    Assert("CII-SR-193", Absent("SpecifiedTradeAllowanceCharge/ID")),
    Assert("CII-SR-194", Absent("SubtotalCalculatedTradeTax")),
    Assert("CII-SR-195", Absent("SpecifiedLogisticsServiceCharge")),
    Assert("CII-SR-196", Absent("SpecifiedTradePaymentTerms")),
    Assert(
        "CII-SR-197",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/ChargeTotalAmount"),
    ),
    Assert(
        "CII-SR-198",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/AllowanceTotalAmount"),
    ),
    Assert(
        "CII-SR-199",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/TaxBasisTotalAmount"),
    ),
    Assert(
        "CII-SR-200",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/TaxTotalAmount"),
    ),
    Assert(
        "CII-SR-201",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/GrandTotalAmount"),
    ),
    Assert(
        "CII-SR-202",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/InformationAmount"),
    ),
    Assert(
        "CII-SR-203",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/TotalAllowanceChargeAmount"),
    ),
    Assert(
        "CII-SR-204",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/TotalRetailValueInformationAmount"),
    ),
    Assert(
        "CII-SR-205",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/GrossLineTotalAmount"),
    ),
    Assert(
        "CII-SR-206",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/NetLineTotalAmount"),
    ),
    Assert(
        "CII-SR-207",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/NetIncludingTaxesLineTotalAmount"),
    ),
    Assert(
        "CII-SR-208",
        Absent("SpecifiedTradeSettlementLineMonetarySummation/ProductWeightLossInformationAmount"),
    ),
    Assert("CII-SR-209", Absent("SpecifiedFinancialAdjustment")),
    Assert("CII-SR-210", Absent("InvoiceReferencedDocument")),
    Assert(
        "CII-SR-212",
        Absent("PayableSpecifiedTradeAccountingAccount"),
    ),
    Assert(
        "CII-SR-213",
        Absent("ReceivableSpecifiedTradeAccountingAccount/SetTriggerCode"),
    ),
    Assert(
        "CII-SR-214",
        Absent("ReceivableSpecifiedTradeAccountingAccount/TypeCode"),
    ),
    Assert(
        "CII-SR-215",
        Absent("ReceivableSpecifiedTradeAccountingAccount/AmountTypeCode"),
    ),
    Assert(
        "CII-SR-216",
        Absent("ReceivableSpecifiedTradeAccountingAccount/Name"),
    ),
    Assert(
        "CII-SR-217",
        Absent("ReceivableSpecifiedTradeAccountingAccount/CostReferenceDimensionPattern"),
    ),
    Assert(
        "CII-SR-218",
        Absent("PurchaseSpecifiedTradeAccountingAccount"),
    ),
    Assert("CII-SR-219", Absent("SalesSpecifiedTradeAccountingAccount")),
    Assert(
        "CII-SR-220",
        Absent("SpecifiedTradeSettlementFinancialCard"),
    ),
    Assert("CII-SR-454", ExactlyOnce("ApplicableTradeTax")),
    Assert(
        "CII-SR-474",
        Holds(|n, _| documents_coded(n, "130", normalized_type_code_is).count() <= 1),
    ),
];

const HEADER_AGREEMENT: &[Assert] = &[
    Assert("CII-SR-442", Absent("Reference")),
    Assert("CII-SR-222", Absent("SellerTradeParty/RoleCode")),
    Assert(
        "CII-SR-223",
        Absent("SellerTradeParty/SpecifiedLegalOrganization/LegalClassificationCode"),
    ),
    Assert(
        "CII-SR-224",
        Absent("SellerTradeParty/SpecifiedLegalOrganization/Name"),
    ),
    Assert(
        "CII-SR-225",
        Absent("SellerTradeParty/SpecifiedLegalOrganization/PostalTradeAddress"),
    ),
    Assert(
        "CII-SR-226",
        Absent("SellerTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration"),
    ),
    Assert(
        "CII-SR-227",
        Absent("SellerTradeParty/DefinedTradeContact/ID"),
    ),
    Assert(
        "CII-SR-228",
        Absent("SellerTradeParty/DefinedTradeContact/TypeCode"),
    ),
    Assert(
        "CII-SR-229",
        Absent("SellerTradeParty/DefinedTradeContact/JobTitle"),
    ),
    Assert(
        "CII-SR-230",
        Absent("SellerTradeParty/DefinedTradeContact/Responsibility"),
    ),
    Assert(
        "CII-SR-231",
        Absent("SellerTradeParty/DefinedTradeContact/PersonID"),
    ),
    Assert(
        "CII-SR-232",
        Absent("SellerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/URIID"),
    ),
    Assert(
        "CII-SR-233",
        Absent("SellerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/ChannelCode"),
    ),
    Assert(
        "CII-SR-234",
        Absent("SellerTradeParty/DefinedTradeContact/DirectTelephoneUniversalCommunication"),
    ),
    Assert(
        "CII-SR-235",
        Absent("SellerTradeParty/DefinedTradeContact/MobileTelephoneUniversalCommunication"),
    ),
    Assert(
        "CII-SR-236",
        Absent("SellerTradeParty/DefinedTradeContact/FaxUniversalCommunication"),
    ),
    Assert(
        "CII-SR-237",
        Absent("SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/ChannelCode"),
    ),
    Assert(
        "CII-SR-238",
        Absent(
            "SellerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/CompleteNumber",
        ),
    ),
    Assert(
        "CII-SR-239",
        Absent("SellerTradeParty/DefinedTradeContact/TelexUniversalCommunication"),
    ),
    Assert(
        "CII-SR-240",
        Absent("SellerTradeParty/DefinedTradeContact/VOIPUniversalCommunication"),
    ),
    Assert(
        "CII-SR-241",
        Absent("SellerTradeParty/DefinedTradeContact/InstantMessagingUniversalCommunication"),
    ),
    Assert(
        "CII-SR-242",
        Absent("SellerTradeParty/DefinedTradeContact/SpecifiedNote"),
    ),
    Assert(
        "CII-SR-243",
        Absent("SellerTradeParty/DefinedTradeContact/SpecifiedContactPerson"),
    ),
    Assert(
        "CII-SR-244",
        Absent("SellerTradeParty/URIUniversalCommunication/ChannelCode"),
    ),
    Assert(
        "CII-SR-245",
        Absent("SellerTradeParty/URIUniversalCommunication/CompleteNumber"),
    ),
    Assert(
        "CII-SR-246",
        Absent("SellerTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax"),
    ),
    Assert(
        "CII-SR-247",
        Absent("SellerTradeParty/EndPointURIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-248",
        Absent("SellerTradeParty/LogoAssociatedSpecifiedBinaryFile"),
    ),
    Assert("CII-SR-249", Absent("BuyerTradeParty/RoleCode")),
    Assert("CII-SR-250", Absent("BuyerTradeParty/Description")),
    Assert(
        "CII-SR-251",
        Absent("BuyerTradeParty/SpecifiedLegalOrganization/LegalClassificationCode"),
    ),
    Assert(
        "CII-SR-252",
        Absent("BuyerTradeParty/SpecifiedLegalOrganization/Name"),
    ),
    Assert(
        "CII-SR-254",
        Absent("BuyerTradeParty/SpecifiedLegalOrganization/PostalTradeAddress"),
    ),
    Assert(
        "CII-SR-255",
        Absent("BuyerTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration"),
    ),
    Assert(
        "CII-SR-256",
        Absent("BuyerTradeParty/DefinedTradeContact/ID"),
    ),
    Assert(
        "CII-SR-257",
        Absent("BuyerTradeParty/DefinedTradeContact/TypeCode"),
    ),
    Assert(
        "CII-SR-258",
        Absent("BuyerTradeParty/DefinedTradeContact/JobTitle"),
    ),
    Assert(
        "CII-SR-259",
        Absent("BuyerTradeParty/DefinedTradeContact/Responsibility"),
    ),
    Assert(
        "CII-SR-260",
        Absent("BuyerTradeParty/DefinedTradeContact/PersonID"),
    ),
    Assert(
        "CII-SR-261",
        Absent("BuyerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/URIID"),
    ),
    Assert(
        "CII-SR-262",
        Absent("BuyerTradeParty/DefinedTradeContact/TelephoneUniversalCommunication/ChannelCode"),
    ),
    Assert(
        "CII-SR-263",
        Absent("BuyerTradeParty/DefinedTradeContact/DirectTelephoneUniversalCommunication"),
    ),
    Assert(
        "CII-SR-264",
        Absent("BuyerTradeParty/DefinedTradeContact/MobileTelephoneUniversalCommunication"),
    ),
    Assert(
        "CII-SR-265",
        Absent("BuyerTradeParty/DefinedTradeContact/FaxUniversalCommunication"),
    ),
    Assert(
        "CII-SR-266",
        Absent("BuyerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/ChannelCode"),
    ),
    Assert(
        "CII-SR-267",
        Absent("BuyerTradeParty/DefinedTradeContact/EmailURIUniversalCommunication/CompleteNumber"),
    ),
    Assert(
        "CII-SR-268",
        Absent("BuyerTradeParty/DefinedTradeContact/TelexUniversalCommunication"),
    ),
    Assert(
        "CII-SR-269",
        Absent("BuyerTradeParty/DefinedTradeContact/VOIPUniversalCommunication"),
    ),
    Assert(
        "CII-SR-270",
        Absent("BuyerTradeParty/DefinedTradeContact/InstantMessagingUniversalCommunication"),
    ),
    Assert(
        "CII-SR-271",
        Absent("BuyerTradeParty/DefinedTradeContact/SpecifiedNote"),
    ),
    Assert(
        "CII-SR-272",
        Absent("BuyerTradeParty/DefinedTradeContact/SpecifiedContactPerson"),
    ),
    Assert(
        "CII-SR-273",
        Absent("BuyerTradeParty/URIUniversalCommunication/ChannelCode"),
    ),
    Assert(
        "CII-SR-274",
        Absent("BuyerTradeParty/URIUniversalCommunication/CompleteNumber"),
    ),
    Assert(
        "CII-SR-275",
        Absent("BuyerTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax"),
    ),
    Assert(
        "CII-SR-276",
        Absent("BuyerTradeParty/EndPointURIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-277",
        Absent("BuyerTradeParty/LogoAssociatedSpecifiedBinaryFile"),
    ),
    Assert("CII-SR-278", Absent("SalesAgentTradeParty")),
    Assert("CII-SR-279", Absent("BuyerRequisitionerTradeParty")),
    Assert("CII-SR-280", Absent("BuyerAssignedAccountantTradeParty")),
    Assert("CII-SR-281", Absent("SellerAssignedAccountantTradeParty")),
    Assert("CII-SR-282", Absent("SellerTaxRepresentativeTradeParty/ID")),
    Assert(
        "CII-SR-283",
        Absent("SellerTaxRepresentativeTradeParty/GlobalID"),
    ),
    Assert(
        "CII-SR-284",
        Absent("SellerTaxRepresentativeTradeParty/RoleCode"),
    ),
    Assert(
        "CII-SR-285",
        Absent("SellerTaxRepresentativeTradeParty/Description"),
    ),
    Assert(
        "CII-SR-286",
        Absent("SellerTaxRepresentativeTradeParty/SpecifiedLegalOrganization"),
    ),
    Assert(
        "CII-SR-287",
        Absent("SellerTaxRepresentativeTradeParty/DefinedTradeContact"),
    ),
    Assert(
        "CII-SR-288",
        Absent("SellerTaxRepresentativeTradeParty/URIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-289",
        Absent(
            "SellerTaxRepresentativeTradeParty/SpecifiedTaxRegistration/AssociatedRegisteredTax",
        ),
    ),
    Assert(
        "CII-SR-290",
        Absent("SellerTaxRepresentativeTradeParty/EndPointURIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-291",
        Absent("SellerTaxRepresentativeTradeParty/LogoAssociatedSpecifiedBinaryFile"),
    ),
    Assert("CII-SR-292", Absent("ProductEndUserTradeParty")),
    Assert("CII-SR-293", Absent("ApplicableTradeDeliveryTerms")),
    Assert("CII-SR-294", Absent("SellerOrderReferencedDocument/LineID")),
    Assert("CII-SR-295", Absent("BuyerOrderReferencedDocument/LineID")),
    Assert("CII-SR-296", Absent("QuotationReferencedDocument")),
    Assert("CII-SR-297", Absent("OrderResponseReferencedDocument")),
    Assert("CII-SR-298", Absent("ContractReferencedDocument/LineID")),
    Assert("CII-SR-299", Absent("DemandForecastReferencedDocument")),
    Assert("CII-SR-300", Absent("SupplyInstructionReferencedDocument")),
    Assert("CII-SR-301", Absent("PromotionalDealReferencedDocument")),
    Assert("CII-SR-302", Absent("PriceListReferencedDocument")),
    Assert("CII-SR-303", Absent("AdditionalReferencedDocument/LineID")),
    Assert("CII-SR-304", Absent("RequisitionerReferencedDocument")),
    Assert("CII-SR-305", Absent("BuyerAgentTradeParty")),
    Assert("CII-SR-306", Absent("PurchaseConditionsReferencedDocument")),
    Assert(
        "CII-SR-307",
        Absent("SpecifiedProcuringProject/Description"),
    ),
    Assert(
        "CII-SR-448",
        Absent("UltimateCustomerOrderReferencedDocument"),
    ),
    Assert(
        "CII-SR-450",
        NotBoth("BuyerTradeParty/ID", "BuyerTradeParty/GlobalID"),
    ),
    Assert(
        "CII-SR-455",
        AtMostOnce("SellerTradeParty/DefinedTradeContact"),
    ),
    Assert(
        "CII-SR-456",
        AtMostOnce("BuyerTradeParty/DefinedTradeContact"),
    ),
    Assert(
        "CII-SR-457",
        Holds(|n, _| documents_coded(n, "50", has_type_code).count() <= 1),
    ),
    Assert(
        "CII-SR-458",
        Holds(|n, _| documents_coded(n, "130", has_type_code).count() <= 1),
    ),
    Assert(
        "CII-SR-459",
        AtMostOnce("SellerTradeParty/URIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-460",
        AtMostOnce("BuyerTradeParty/URIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-465",
        NotBoth(
            "SellerTradeParty/DefinedTradeContact/PersonName",
            "SellerTradeParty/DefinedTradeContact/DepartmentName",
        ),
    ),
    Assert(
        "CII-SR-466",
        NotBoth(
            "BuyerTradeParty/DefinedTradeContact/PersonName",
            "BuyerTradeParty/DefinedTradeContact/DepartmentName",
        ),
    ),
    Assert("CII-SR-475", Holds(|n, _| attachment_parts(n, "Name") <= 1)),
    Assert(
        "CII-SR-476",
        Holds(|n, _| attachment_parts(n, "AttachmentBinaryObject") <= 1),
    ),
];

const HEADER_DELIVERY: &[Assert] = &[
    Assert("CII-SR-308", Absent("RelatedSupplyChainConsignment")),
    Assert("CII-SR-309", Absent("ShipToTradeParty/RoleCode")),
    Assert("CII-SR-310", Absent("ShipToTradeParty/Description")),
    Assert(
        "CII-SR-311",
        Absent("ShipToTradeParty/SpecifiedLegalOrganization"),
    ),
    Assert("CII-SR-312", Absent("ShipToTradeParty/DefinedTradeContact")),
    Assert(
        "CII-SR-313",
        Absent("ShipToTradeParty/URIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-314",
        Absent("ShipToTradeParty/SpecifiedTaxRegistration"),
    ),
    Assert(
        "CII-SR-315",
        Absent("ShipToTradeParty/EndPointURIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-316",
        Absent("ShipToTradeParty/LogoAssociatedSpecifiedBinaryFile"),
    ),
    Assert("CII-SR-317", Absent("UltimateShipToTradeParty")),
    Assert("CII-SR-318", Absent("ShipFromTradeParty")),
    Assert("CII-SR-319", Absent("ActualDespatchSupplyChainEvent")),
    Assert("CII-SR-320", Absent("ActualPickUpSupplyChainEvent")),
    Assert("CII-SR-321", Absent("ActualDeliverySupplyChainEvent/ID")),
    Assert(
        "CII-SR-322",
        Absent("ActualDeliverySupplyChainEvent/OccurrenceDateTime/udt:DateTime"),
    ),
    Assert(
        "CII-SR-323",
        Absent("ActualDeliverySupplyChainEvent/TypeCode"),
    ),
    Assert(
        "CII-SR-324",
        Absent("ActualDeliverySupplyChainEvent/Description"),
    ),
    Assert(
        "CII-SR-325",
        Absent("ActualDeliverySupplyChainEvent/DescriptionBinaryObject"),
    ),
    Assert(
        "CII-SR-326",
        Absent("ActualDeliverySupplyChainEvent/UnitQuantity"),
    ),
    Assert(
        "CII-SR-327",
        Absent("ActualDeliverySupplyChainEvent/LatestOccurrenceDateTime"),
    ),
    Assert(
        "CII-SR-328",
        Absent("ActualDeliverySupplyChainEvent/EarliestOccurrenceDateTime"),
    ),
    Assert(
        "CII-SR-329",
        Absent("ActualDeliverySupplyChainEvent/OccurrenceSpecifiedPeriod"),
    ),
    Assert(
        "CII-SR-330",
        Absent("ActualDeliverySupplyChainEvent/OccurrenceLogisticsLocation"),
    ),
    Assert("CII-SR-331", Absent("ActualReceiptSupplyChainEvent")),
    Assert("CII-SR-332", Absent("AdditionalReferencedDocument")),
    Assert(
        "CII-SR-333",
        Absent("DespatchAdviceReferencedDocument/LineID"),
    ),
    Assert(
        "CII-SR-334",
        Absent("DespatchAdviceReferencedDocument/LineID"),
    ),
    Assert("CII-SR-335", Absent("DeliveryNoteReferencedDocument")),
    Assert("CII-SR-336", Absent("ConsumptionReportReferencedDocument")),
    Assert("CII-SR-337", Absent("PreviousDeliverySupplyChainEvent")),
    Assert("CII-SR-338", Absent("PackingListReferencedDocument")),
    Assert(
        "CII-SR-449",
        NotBoth("ShipToTradeParty/ID", "ShipToTradeParty/GlobalID"),
    ),
];

const HEADER_SETTLEMENT: &[Assert] = &[
    Assert("CII-SR-339", Absent("DuePayableAmount")),
    Assert("CII-SR-340", Absent("CreditorReferenceTypeCode")),
    Assert("CII-SR-341", Absent("CreditorReferenceType")),
    Assert("CII-SR-342", Absent("CreditorReferenceIssuerID")),
    Assert("CII-SR-344", Absent("PaymentCurrencyCode")),
    Assert("CII-SR-345", Absent("InvoiceIssuerReference")),
    Assert("CII-SR-346", Absent("InvoiceDateTime")),
    Assert("CII-SR-347", Absent("NextInvoiceDateTime")),
    Assert("CII-SR-348", Absent("CreditReasonCode")),
    Assert("CII-SR-349", Absent("CreditReason")),
    Assert("CII-SR-350", Absent("InvoicerTradeParty")),
    Assert("CII-SR-351", Absent("InvoiceeTradeParty")),
    Assert("CII-SR-352", Absent("PayeeTradeParty/RoleCode")),
    Assert("CII-SR-353", Absent("PayeeTradeParty/Description")),
    Assert(
        "CII-SR-354",
        Absent("PayeeTradeParty/SpecifiedLegalOrganization/LegalClassificationCode"),
    ),
    Assert(
        "CII-SR-355",
        Absent("PayeeTradeParty/SpecifiedLegalOrganization/Name"),
    ),
    Assert(
        "CII-SR-356",
        Absent("PayeeTradeParty/SpecifiedLegalOrganization/TradingBusinessName"),
    ),
    Assert(
        "CII-SR-357",
        Absent("PayeeTradeParty/SpecifiedLegalOrganization/PostalTradeAddress"),
    ),
    Assert(
        "CII-SR-358",
        Absent("PayeeTradeParty/SpecifiedLegalOrganization/AuthorizedLegalRegistration"),
    ),
    Assert("CII-SR-359", Absent("PayeeTradeParty/DefinedTradeContact")),
    Assert("CII-SR-360", Absent("PayeeTradeParty/PostalTradeAddress")),
    Assert(
        "CII-SR-361",
        Absent("PayeeTradeParty/URIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-362",
        Absent("PayeeTradeParty/SpecifiedTaxRegistration"),
    ),
    Assert(
        "CII-SR-363",
        Absent("PayeeTradeParty/EndPointURIUniversalCommunication"),
    ),
    Assert(
        "CII-SR-364",
        Absent("PayeeTradeParty/LogoAssociatedSpecifiedBinaryFile"),
    ),
    Assert(
        "CII-SR-451",
        NotBoth("PayeeTradeParty/ID", "PayeeTradeParty/GlobalID"),
    ),
    Assert("CII-SR-365", Absent("PayerTradeParty")),
    Assert("CII-SR-366", Absent("TaxApplicableTradeCurrencyExchange")),
    Assert(
        "CII-SR-367",
        Absent("InvoiceApplicableTradeCurrencyExchange"),
    ),
    Assert(
        "CII-SR-368",
        Absent("PaymentApplicableTradeCurrencyExchange"),
    ),
    Assert(
        "CII-SR-369",
        Absent("SpecifiedTradeSettlementPaymentMeans/PaymentChannelCode"),
    ),
    Assert(
        "CII-SR-370",
        Absent("SpecifiedTradeSettlementPaymentMeans/GuaranteeMethodCode"),
    ),
    Assert(
        "CII-SR-371",
        Absent("SpecifiedTradeSettlementPaymentMeans/PaymentMethodCode"),
    ),
    Assert(
        "CII-SR-443",
        Absent("SpecifiedTradeSettlementPaymentMeans/ID"),
    ),
    Assert(
        "CII-SR-372",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/MicrochipIndicator",
        ),
    ),
    Assert(
        "CII-SR-373",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/TypeCode",
        ),
    ),
    Assert(
        "CII-SR-375",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/ExpiryDate",
        ),
    ),
    Assert(
        "CII-SR-376",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/VerificationNumeric",
        ),
    ),
    Assert(
        "CII-SR-377",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/ValidFromDateTime",
        ),
    ),
    Assert(
        "CII-SR-378",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/CreditLimitAmount",
        ),
    ),
    Assert(
        "CII-SR-379",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/CreditAvailableAmount",
        ),
    ),
    Assert(
        "CII-SR-380",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/InterestRatePercent",
        ),
    ),
    Assert(
        "CII-SR-381",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/ApplicableTradeSettlementFinancialCard/Description",
        ),
    ),
    Assert(
        "CII-SR-382",
        Absent("SpecifiedTradeSettlementPaymentMeans/PayerPartyDebtorFinancialAccount/AccountName"),
    ),
    Assert(
        "CII-SR-444",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/PayerPartyDebtorFinancialAccount/ProprietaryID",
        ),
    ),
    Assert(
        "CII-SR-384",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/ClearingSystemName",
        ),
    ),
    Assert(
        "CII-SR-385",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/Name",
        ),
    ),
    Assert(
        "CII-SR-386",
        Absent(
            "SpecifiedTradeSettlementPaymentMeans/PayerSpecifiedDebtorFinancialInstitution/LocationFinancialInstitutionAddress",
        ),
    ),
    Assert("CII-SR-388", Absent("SpecifiedTradeAllowanceCharge/ID")),
    Assert(
        "CII-SR-389",
        Absent("SpecifiedTradeAllowanceCharge/SequenceNumeric"),
    ),
    Assert(
        "CII-SR-390",
        Absent("SpecifiedTradeAllowanceCharge/BasisQuantity"),
    ),
    Assert(
        "CII-SR-391",
        Absent("SpecifiedTradeAllowanceCharge/PrepaidIndicator"),
    ),
    Assert(
        "CII-SR-392",
        Absent("SpecifiedTradeAllowanceCharge/UnitBasisAmount"),
    ),
    Assert(
        "CII-SR-393",
        Absent("SpecifiedTradeAllowanceCharge/TypeCode"),
    ),
    Assert(
        "CII-SR-394",
        Absent("SpecifiedTradeAllowanceCharge/ActualTradeCurrencyExchange"),
    ),
    Assert("CII-SR-395", Absent("SubtotalCalculatedTradeTax")),
    Assert("CII-SR-396", Absent("SpecifiedLogisticsServiceCharge")),
    Assert("CII-SR-397", Absent("SpecifiedTradePaymentTerms/ID")),
    Assert(
        "CII-SR-398",
        Absent("SpecifiedTradePaymentTerms/FromEventCode"),
    ),
    Assert(
        "CII-SR-399",
        Absent("SpecifiedTradePaymentTerms/SettlementPeriodMeasure"),
    ),
    Assert(
        "CII-SR-400",
        Absent("SpecifiedTradePaymentTerms/DueDateDateTime/udt:DateTime"),
    ),
    Assert("CII-SR-401", Absent("SpecifiedTradePaymentTerms/TypeCode")),
    Assert(
        "CII-SR-402",
        Absent("SpecifiedTradePaymentTerms/InstructionTypeCode"),
    ),
    Assert(
        "CII-SR-404",
        Absent("SpecifiedTradePaymentTerms/PartialPaymentPercent"),
    ),
    Assert(
        "CII-SR-405",
        Absent("SpecifiedTradePaymentTerms/PaymentMeansID"),
    ),
    Assert(
        "CII-SR-406",
        Absent("SpecifiedTradePaymentTerms/PartialPaymentAmount"),
    ),
    Assert(
        "CII-SR-407",
        Absent("SpecifiedTradePaymentTerms/ApplicableTradePaymentPenaltyTerms"),
    ),
    Assert(
        "CII-SR-408",
        Absent("SpecifiedTradePaymentTerms/ApplicableTradePaymentDiscountTerms"),
    ),
    Assert(
        "CII-SR-409",
        Absent("SpecifiedTradePaymentTerms/PayeeTradeParty"),
    ),
    Assert("CII-SR-421", Absent("SpecifiedFinancialAdjustment")),
    Assert("CII-SR-422", Absent("InvoiceReferencedDocument/LineID")),
    Assert("CII-SR-423", Absent("ProFormaInvoiceReferencedDocument")),
    Assert("CII-SR-424", Absent("LetterOfCreditReferencedDocument")),
    Assert("CII-SR-425", Absent("FactoringAgreementReferencedDocument")),
    Assert("CII-SR-426", Absent("FactoringListReferencedDocument")),
    Assert(
        "CII-SR-427",
        Absent("PayableSpecifiedTradeAccountingAccount"),
    ),
    Assert(
        "CII-SR-428",
        Absent("ReceivableSpecifiedTradeAccountingAccount/SetTriggerCode"),
    ),
    Assert(
        "CII-SR-429",
        Absent("ReceivableSpecifiedTradeAccountingAccount/TypeCode"),
    ),
    Assert(
        "CII-SR-430",
        Absent("ReceivableSpecifiedTradeAccountingAccount/AmountTypeCode"),
    ),
    Assert(
        "CII-SR-431",
        Absent("ReceivableSpecifiedTradeAccountingAccount/Name"),
    ),
    Assert(
        "CII-SR-432",
        Absent("ReceivableSpecifiedTradeAccountingAccount/CostReferenceDimensionPattern"),
    ),
    Assert(
        "CII-SR-433",
        Absent("PurchaseSpecifiedTradeAccountingAccount"),
    ),
    Assert("CII-SR-434", Absent("SalesSpecifiedTradeAccountingAccount")),
    Assert(
        "CII-SR-435",
        Absent("SpecifiedTradeSettlementFinancialCard"),
    ),
    Assert("CII-SR-436", Absent("SpecifiedAdvancePayment")),
    Assert("CII-SR-437", Absent("UltimatePayeeTradeParty")),
    Assert("CII-SR-452", AtMostOnce("SpecifiedTradePaymentTerms")),
    Assert(
        "CII-SR-453",
        AtMostOnce("SpecifiedTradePaymentTerms/Description"),
    ),
    Assert("CII-SR-461", AtMostOnce("ApplicableTradeTax/TaxPointDate")),
    Assert("CII-SR-462", Document(|f| !f.due_date_codes.differs())),
    Assert("CII-SR-470", Holds(transfers_name_account)),
];

const MONETARY_SUMMATION: &[Assert] = &[
    Assert("CII-SR-411", Absent("InformationAmount")),
    Assert("CII-SR-412", Absent("TotalDiscountAmount")),
    Assert("CII-SR-413", Absent("TotalAllowanceChargeAmount")),
    Assert(
        "CII-SR-414",
        Absent("RetailValueExcludingTaxInformationAmount"),
    ),
    Assert("CII-SR-415", Absent("TotalDepositFeeInformationAmount")),
    Assert(
        "CII-SR-416",
        Absent("ProductValueExcludingTobaccoTaxInformationAmount"),
    ),
    Assert("CII-SR-417", Absent("TotalRetailValueInformationAmount")),
    Assert("CII-SR-418", Absent("GrossLineTotalAmount")),
    Assert("CII-SR-419", Absent("NetLineTotalAmount")),
    Assert("CII-SR-420", Absent("NetIncludingTaxesLineTotalAmount")),
    Assert("CII-SR-477", AtMostOnce("LineTotalAmount")),
    Assert("CII-SR-478", AtMostOnce("ChargeTotalAmount")),
    Assert("CII-SR-479", AtMostOnce("AllowanceTotalAmount")),
    Assert("CII-SR-480", AtMostOnce("TaxBasisTotalAmount")),
    Assert("CII-SR-481", AtMostOnce("RoundingAmount")),
    Assert("CII-SR-482", AtMostOnce("GrandTotalAmount")),
    Assert("CII-SR-483", AtMostOnce("InformationAmount")),
    Assert("CII-SR-484", AtMostOnce("TotalPrepaidAmount")),
    Assert("CII-SR-485", AtMostOnce("TotalDiscountAmount")),
    Assert("CII-SR-486", AtMostOnce("TotalAllowanceChargeAmount")),
    Assert("CII-SR-487", AtMostOnce("DuePayableAmount")),
    Assert(
        "CII-SR-488",
        AtMostOnce("RetailValueExcludingTaxInformationAmount"),
    ),
    Assert("CII-SR-489", AtMostOnce("TotalDepositFeeInformationAmount")),
    Assert(
        "CII-SR-490",
        AtMostOnce("ProductValueExcludingTobaccoTaxInformationAmount"),
    ),
    Assert(
        "CII-SR-491",
        AtMostOnce("TotalRetailValueInformationAmount"),
    ),
    Assert("CII-SR-492", AtMostOnce("GrossLineTotalAmount")),
    Assert("CII-SR-493", AtMostOnce("NetLineTotalAmount")),
    Assert("CII-SR-494", AtMostOnce("NetIncludingTaxesLineTotalAmount")),
];

const INVOICE: &[Assert] = &[
    Assert("CII-DT-013", Absent("@languageID")),
    Assert("CII-DT-014", Absent("@languageLocaleID")),
    Assert("CII-SR-438", Absent("ValuationBreakdownStatement")),
    Assert("CII-SR-467", Document(|f| !f.payment_means_codes.differs())),
    Assert("CII-SR-468", Document(|f| !f.payment_means_texts.differs())),
    Assert("CII-SR-469", Document(|f| f.payment_references <= 1)),
];

const CONTEXT_PARAMETER: &[Assert] = &[
    Assert("CII-SR-04", Absent("Value")),
    Assert("CII-SR-05", Absent("SpecifiedDocumentVersion")),
];

const KEY_IDENTIFIER: &[Assert] = &[
    Assert("CII-DT-001", Absent("@schemeName")),
    Assert("CII-DT-002", Absent("@schemeAgencyName")),
    Assert("CII-DT-003", Absent("@schemeDataURI")),
    Assert("CII-DT-004", Absent("@schemeURI")),
    Assert("CII-DT-005", Absent("@schemeID")),
    Assert("CII-DT-006", Absent("@schemeAgencyID")),
    Assert("CII-DT-007", Absent("@schemeVersionID")),
];

const IDENTIFIER: &[Assert] = &[
    Assert("CII-DT-101", Absent("@schemeName")),
    Assert("CII-DT-102", Absent("@schemeAgencyName")),
    Assert("CII-DT-103", Absent("@schemeDataURI")),
    Assert("CII-DT-104", Absent("@schemeURI")),
];

const CODE: &[Assert] = &[
    Assert("CII-DT-008", Absent("@name")),
    Assert("CII-DT-009", Absent("@listURI")),
];

const LINE_TAX_CATEGORY: &[Assert] = &[
    Assert("CII-DT-045", Absent("@listID")),
    Assert("CII-DT-046", Absent("@listAgencyID")),
    Assert("CII-DT-047", Absent("@listVersionID")),
    Assert("CII-DT-048", Absent("@listURI")),
];

const REFERENCED_DOCUMENT: &[Assert] = &[
    Assert("CII-DT-015", AbsentUnless("URIID", is_attachment)),
    Assert("CII-DT-016", Absent("StatusCode")),
    Assert("CII-DT-017", Absent("CopyIndicator")),
    Assert(
        "CII-DT-018",
        AbsentUnless("TypeCode", is_additional_document_coded),
    ),
    Assert("CII-DT-019", Absent("GlobalID")),
    Assert("CII-DT-020", Absent("RevisionID")),
    Assert("CII-DT-021", AbsentUnless("Name", is_attachment)),
    Assert(
        "CII-DT-022",
        AbsentUnless("AttachmentBinaryObject", is_attachment),
    ),
    Assert("CII-DT-023", Absent("Information")),
    Assert(
        "CII-DT-024",
        AbsentUnless("ReferenceTypeCode", is_invoiced_object),
    ),
    Assert("CII-DT-025", Absent("SectionName")),
    Assert("CII-DT-026", Absent("PreviousRevisionID")),
    Assert(
        "CII-DT-027",
        AbsentUnless("FormattedIssueDateTime", |n| {
            is_ram(n, "InvoiceReferencedDocument")
        }),
    ),
    Assert("CII-DT-028", Absent("EffectiveSpecifiedPeriod")),
    Assert("CII-DT-029", Absent("IssuerTradeParty")),
    Assert("CII-DT-030", Absent("AttachedSpecifiedBinaryFile")),
];

const AMOUNT: &[Assert] = &[
    Assert("CII-DT-031", Absent("@currencyID")),
    Assert("CII-DT-032", Absent("@currencyCodeListVersionID")),
];

const QUANTITY: &[Assert] = &[
    Assert(
        "CII-DT-033",
        Holds(|n, f| n.attribute("unitCode").is_none() || f.billed_quantity_unit),
    ),
    Assert("CII-DT-034", Absent("@unitCodeListID")),
    Assert("CII-DT-035", Absent("@unitCodeListAgencyID")),
    Assert("CII-DT-036", Absent("@unitCodeListAgencyName")),
];

const TAX: &[Assert] = &[
    Assert(
        "CII-DT-037",
        Holds(|n, _| children(n, "TypeCode").next().is_none() || has_type_code(n, "VAT")),
    ),
    Assert("CII-DT-038", Absent("CalculatedRate")),
    Assert("CII-DT-039", Absent("CalculationSequenceNumeric")),
    Assert("CII-DT-040", Absent("BasisQuantity")),
    Assert(
        "CII-DT-041",
        AbsentUnless("BasisAmount", in_header_settlement),
    ),
    Assert("CII-DT-042", Absent("UnitBasisAmount")),
    Assert("CII-DT-043", Absent("LineTotalBasisAmount")),
    Assert("CII-DT-044", Absent("AllowanceChargeBasisAmount")),
    Assert("CII-DT-049", Absent("CurrencyCode")),
    Assert("CII-DT-050", Absent("Jurisdiction")),
    Assert("CII-DT-051", Absent("CustomsDutyIndicator")),
    Assert(
        "CII-DT-052",
        AbsentUnless("ExemptionReasonCode", |n| is_ram(n, "ApplicableTradeTax")),
    ),
    Assert(
        "CII-DT-098",
        AbsentUnless("ExemptionReason", |n| is_ram(n, "ApplicableTradeTax")),
    ),
    Assert("CII-DT-053", Absent("TaxBasisAllowanceRate")),
    Assert(
        "CII-DT-054",
        AbsentUnless("TaxPointDate", in_header_settlement),
    ),
    Assert("CII-DT-055", Absent("Type")),
    Assert("CII-DT-056", Absent("InformationAmount")),
    Assert("CII-DT-057", Absent("CategoryName")),
    Assert(
        "CII-DT-058",
        AbsentUnless("DueDateTypeCode", in_header_settlement),
    ),
    Assert("CII-DT-059", Absent("RateApplicablePercent/@format")),
    Assert("CII-DT-060", Absent("SpecifiedTradeAccountingAccount")),
    Assert("CII-DT-061", Absent("ServiceSupplyTradeCountry")),
    Assert(
        "CII-DT-062",
        Absent("BuyerRepayableTaxSpecifiedTradeAccountingAccount"),
    ),
    Assert(
        "CII-DT-063",
        Absent("SellerPayableTaxSpecifiedTradeAccountingAccount"),
    ),
    Assert(
        "CII-DT-064",
        Absent("SellerRefundableTaxSpecifiedTradeAccountingAccount"),
    ),
    Assert(
        "CII-DT-065",
        Absent("BuyerDeductibleTaxSpecifiedTradeAccountingAccount"),
    ),
    Assert(
        "CII-DT-066",
        Absent("BuyerNonDeductibleTaxSpecifiedTradeAccountingAccount"),
    ),
    Assert("CII-DT-067", Absent("PlaceApplicableTradeLocation")),
];

const BILLING_PERIOD: &[Assert] = &[
    Assert("CII-DT-068", Absent("StartDateTime/udt:DateTime")),
    Assert("CII-DT-069", Absent("DurationMeasure")),
    Assert("CII-DT-070", Absent("InclusiveIndicator")),
    Assert("CII-DT-071", Absent("Description")),
    Assert("CII-DT-072", Absent("EndDateTime/udt:DateTime")),
    Assert("CII-DT-073", Absent("CompleteDateTime")),
    Assert("CII-DT-074", Absent("OpenIndicator")),
    Assert("CII-DT-075", Absent("SeasonCode")),
    Assert("CII-DT-076", Absent("ID")),
    Assert("CII-DT-077", Absent("Name")),
    Assert("CII-DT-078", Absent("SequenceNumeric")),
    Assert("CII-DT-079", Absent("StartDateFlexibilityCode")),
    Assert("CII-DT-080", Absent("ContinuousIndicator")),
    Assert("CII-DT-081", Absent("PurposeCode")),
];

const POSTAL_ADDRESS: &[Assert] = &[
    Assert("CII-DT-082", Absent("ID")),
    Assert("CII-DT-083", Absent("PostOfficeBox")),
    Assert("CII-DT-084", Absent("BuildingName")),
    Assert("CII-DT-086", Absent("LineFour")),
    Assert("CII-DT-087", Absent("LineFive")),
    Assert("CII-DT-088", Absent("StreetName")),
    Assert("CII-DT-089", Absent("CitySubDivisionName")),
    Assert("CII-DT-090", Absent("CountryName")),
    Assert("CII-DT-091", Absent("CountrySubDivisionID")),
    Assert("CII-DT-092", Absent("AttentionOf")),
    Assert("CII-DT-093", Absent("CareOf")),
    Assert("CII-DT-094", Absent("BuildingNumber")),
    Assert("CII-DT-095", Absent("DepartmentName")),
    Assert("CII-DT-096", Absent("AdditionalStreetName")),
];

const DATE_STRING: &[Assert] = &[Assert(
    "CII-DT-097",
    Holds(|n, _| is_format_102(&string_value(n))),
)];
