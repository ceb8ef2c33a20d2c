"""Training under the "four orders" model (四单式): enterprises order (企业下单), certified
institutions run batches (机构接单), trainees choose and apply (劳动者点单), the government
pays (政府买单, in the subsidies domain)."""
